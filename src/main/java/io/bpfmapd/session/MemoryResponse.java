package io.bpfmapd.session;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.bpfmapd.map.EncodedValue;
import io.bpfmapd.map.ValueFields;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** Bytes read through a session; exactly one value field is present, the one ?format= asked for. */
@ValueFields
@Schema(description = "Bytes read through a session's mapping; one value field, the one ?format= asked for",
        example = "{\"offset\": 24, \"length\": 8, \"hex\": \"2a00000000000000\"}")
public record MemoryResponse(
        @Schema(description = "Offset in the session's window", example = "24") long offset,
        @Schema(example = "8") int length,
        @JsonIgnore @Schema(hidden = true) EncodedValue value) {

    /** The one value field: {@code "hex": "2a00..."}, {@code "u64": ["42"]}... */
    @JsonAnyGetter
    @Schema(hidden = true)
    public Map<String, EncodedValue> valueField() {
        return Map.of(value.format().field(), value);
    }
}
