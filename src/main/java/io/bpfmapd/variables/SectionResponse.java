package io.bpfmapd.variables;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A global-data map's section and its variables.
 *
 * @param mapId     the service's id of the map
 * @param section   the section's full name, from the DATASEC (the map's name is cut at 15 characters)
 * @param size      the section's bytes: the map's value size
 * @param variables each variable, by offset
 */
@Schema(description = "A libbpf global-data map's section (.bss, .data, .rodata, .kconfig, .data.*) and its variables")
public record SectionResponse(
        @Schema(example = "6f1c5a2e-0b8e-4c1e-9f5e-2d6c1f0a9b3d") String mapId,
        @Schema(description = "The section's full name, from the DATASEC's (map names are cut at 15 characters)",
                example = ".data.custom") String section,
        @Schema(description = "The section's bytes: the map's value size", example = "24") long size,
        List<VariableResponse> variables) {
}
