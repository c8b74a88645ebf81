package io.bpfmapd.variables;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.JsonNode;

/** The body of {@code PUT /maps/{id}/variables/{name}}. */
@Schema(description = "A variable's new value as typed JSON; a struct or union may name only some of its fields, "
        + "and only their bits are written", example = "{\"value\": {\"multiplier\": 3}}")
public record VariableWriteRequest(
        @Schema(description = "The value as typed JSON, in the shape GET answers (64-bit integers as decimal "
                + "strings or numbers)", requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull JsonNode value) {
}
