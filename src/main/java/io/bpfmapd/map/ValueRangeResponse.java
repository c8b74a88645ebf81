package io.bpfmapd.map;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Consecutive elements' values. */
@Schema(description = "Values of the elements [from, from + count) that exist")
public record ValueRangeResponse(
        @Schema(example = "0") int from,
        @Schema(description = "Values returned (fewer than asked when the range passes maxEntries; without a count, as many as max-range-count and max-json-bytes allow)", example = "2") int count,
        @Schema(description = "Format of the values", example = "hex") ValueFormat format,
        List<ValueResponse> values) {
}
