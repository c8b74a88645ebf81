package io.bpfmapd.map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A map value's type, described in JSON: one recursive shape for every kind, so that generated clients
 * have one class for it. The service lays it out as a C compiler does (natural alignment, padding) and
 * creates the map with the BTF of it ({@link ValueTypeBtf}). Which members a kind takes is checked there,
 * with the path of a wrong one in the 400.
 */
@Schema(description = "A value type: the kind, and what that kind takes (struct and union: fields; array: length and "
        + "element; char: an optional length, making a char array; enum: values and an optional size). Laid out "
        + "by C rules: natural alignment, padding between fields and at the end", example = """
        {"kind": "struct", "name": "flow", "fields": [{"name": "packets", "type": {"kind": "u64"}},
         {"name": "comm", "type": {"kind": "char", "length": 16}}]}""")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValueType(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) ValueTypeKind kind,
        @Schema(description = "struct, union, enum: the C tag (an identifier); anonymous when absent", example = "flow",
                nullable = true)
        String name,
        @Schema(description = "array: the element count; char: the length of a char array (a single char when absent)",
                example = "16", nullable = true)
        Integer length,
        @Schema(description = "array: the element type", nullable = true)
        ValueType element,
        @Schema(description = "struct, union: the members, in order", nullable = true)
        List<ValueTypeField> fields,
        @Schema(description = "enum: the enumerators", nullable = true)
        List<ValueTypeEnumerator> values,
        @Schema(description = "enum: its size in bytes, 1, 2, 4 or 8 (default 4)", example = "4", nullable = true)
        Integer size) {

    /** A type of a kind that takes nothing else: an integer, bool, char, or a special field. */
    public static ValueType of(ValueTypeKind kind) {
        return new ValueType(kind, null, null, null, null, null, null);
    }

    public static ValueType struct(String name, List<ValueTypeField> fields) {
        return new ValueType(ValueTypeKind.STRUCT, name, null, null, fields, null, null);
    }

    /** A member of a struct or union. */
    @Schema(description = "A struct or union member")
    public record ValueTypeField(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "An identifier, unique in its struct",
                    example = "packets")
            String name,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) ValueType type) {
    }

    /** A name of an enum's value. */
    @Schema(description = "An enumerator: a name and its value")
    public record ValueTypeEnumerator(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "TCP") String name,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "6", description = "Must fit the enum's size; "
                    + "any negative value makes the enum signed")
            Long value) {
    }
}
