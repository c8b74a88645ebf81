package io.bpfmapd.map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.bpfmapd.backend.UpdateFlag;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The body of {@code PUT /maps/{id}/values/{index}}: exactly one value field, and the update flag. */
@ValueFields
@Schema(description = "A value to write with BPF_MAP_UPDATE_ELEM; give exactly one value field",
        example = "{\"hex\": \"6f00000000000000\", \"flags\": \"ANY\"}")
public record ValueWriteRequest(
        @Schema(description = "BPF_ANY (default), BPF_NOEXIST (arrays: always EEXIST) or BPF_EXIST",
                defaultValue = "ANY") UpdateFlag flags,
        @JsonAnySetter @Schema(hidden = true) Map<String, JsonNode> values) {
}
