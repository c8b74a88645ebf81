package io.bpfmapd.variables;

import io.bpfmapd.btf.BtfType;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/** One global variable of a section, with its value as typed JSON. */
@Schema(description = "A global variable of a libbpf section (a VAR of the map's DATASEC) and its value",
        example = "{\"name\": \"cfg\", \"type\": \"struct settings\", \"declaration\": \"struct settings cfg\", "
                + "\"typeId\": 14, \"offset\": 8, \"size\": 16, \"linkage\": \"GLOBAL\", "
                + "\"value\": {\"multiplier\": 1, \"tag\": \"init\", \"enabled\": 1, \"level\": 2}}")
public record VariableResponse(
        @Schema(description = "The VAR's name, as the C source declares it", example = "cfg") String name,
        @Schema(description = "The C name of its type, as libbpf's btf_dump writes it (char[16], struct settings, "
                + "volatile const __u32)", example = "struct settings") String type,
        @Schema(description = "The variable's C declaration, as libbpf's btf_dump writes it (bpftool gen skeleton "
                + "writes the same without qualifiers)",
                example = "struct settings cfg") String declaration,
        @Schema(description = "The id of its type in the map's BTF (GET /maps/{id}/btf)", example = "14") int typeId,
        @Schema(description = "Where its bytes start in the section (element 0 of the map)", example = "8") long offset,
        @Schema(description = "Its bytes in the section", example = "16") long size,
        @Schema(description = "The VAR's linkage: STATIC, GLOBAL or EXTERN") BtfType.Linkage linkage,
        @Schema(description = "The value as typed JSON (format=typed): structs as objects, arrays as arrays, char "
                + "arrays as strings, enums by name, 64-bit integers as decimal strings")
        JsonNode value) {

    static VariableResponse of(Variable v, JsonNode value) {
        return new VariableResponse(v.name(), v.type(), v.declaration(), v.typeId(), v.offset(), v.size(), v.linkage(),
                value);
    }
}
