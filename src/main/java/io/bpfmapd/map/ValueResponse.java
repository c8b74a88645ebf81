package io.bpfmapd.map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** One element's value, in the format asked for: exactly one of the value fields is present. */
@ValueFields
@Schema(description = "One element's value; exactly one value field is present, the one ?format= asked for",
        example = "{\"index\": 3, \"hex\": \"6f00000000000000\"}")
public record ValueResponse(
        @Schema(example = "3") int index,
        @JsonIgnore @Schema(hidden = true) EncodedValue value) {

    /** The one value field: {@code "hex": "6f00..."}, {@code "u64": ["111"]}... */
    @JsonAnyGetter
    @Schema(hidden = true)
    public Map<String, EncodedValue> valueField() {
        return Map.of(value.format().field(), value);
    }
}
