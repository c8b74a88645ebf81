package io.bpfmapd.session;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.bpfmapd.map.ValueFields;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A JSON body of {@code PUT /sessions/{sid}/memory}: exactly one value field. */
@ValueFields
@Schema(description = "Bytes to write through a session's mapping; give exactly one value field",
        example = "{\"u64\": [\"42\"]}")
public record MemoryWriteRequest(@JsonAnySetter @Schema(hidden = true) Map<String, JsonNode> values) {
}
