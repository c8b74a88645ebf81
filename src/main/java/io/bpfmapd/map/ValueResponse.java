package io.bpfmapd.map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigInteger;
import java.util.List;

/** One element's value, in the format asked for: exactly one of the value fields is present. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "One element's value; exactly one value field is present, the one ?format= asked for",
        example = "{\"index\": 3, \"hex\": \"6f00000000000000\"}")
public record ValueResponse(
        @Schema(example = "3") int index,
        @Schema(description = "Value bytes as hex", example = "6f00000000000000") String hex,
        @Schema(description = "Value bytes as base64") String base64,
        @Schema(description = "Value bytes as unsigned bytes") List<Long> u8,
        @Schema(description = "Value as little-endian u16 array") List<Long> u16,
        @Schema(description = "Value as little-endian u32 array") List<Long> u32,
        @Schema(description = "Value as little-endian u64 array") List<BigInteger> u64,
        @Schema(description = "Value as little-endian i64 array") List<Long> i64) {

    static ValueResponse of(int index, EncodedValue v) {
        return new ValueResponse(index, v.hex(), v.base64(), v.u8(), v.u16(), v.u32(), v.u64(), v.i64());
    }
}
