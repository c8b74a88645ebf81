package io.bpfmapd.map;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Documents the value fields of every {@link ValueFields} type: one optional property per
 * {@link ValueFormat}, a string or an array of integers in the format's range, described by the enum.
 * Each is nullable and not required, so that a generated client leaves the fields it is not given unset
 * (and sends none of them) and an answer's absent fields read as null. Integer elements carry the
 * {@code format} that holds their range in a generated client ({@code int32} up to u16, {@code int64} for
 * u32); the 64-bit formats' elements are decimal strings ({@link ValueFormat#decimalStrings()}); the
 * typed field is any JSON value (its shape is the map's BTF type's).
 * The types take their value fields as a map ({@code @JsonAnySetter}/{@code @JsonAnyGetter}) and list
 * none themselves, so the OpenAPI document follows the enum as the code does.
 */
@Component
class ValueFieldsSchemas implements ModelConverter {

    @Override
    public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        Schema schema = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
        if (schema == null || type.getType() == null
                || !Json.mapper().constructType(type.getType()).getRawClass().isAnnotationPresent(ValueFields.class)) {
            return schema;
        }
        Schema model = schema.get$ref() == null ? schema
                : context.getDefinedModels().get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
        if (model != null) {
            if (model.getTypes() == null || model.getTypes().isEmpty()) {
                // A type whose only properties are its value fields (MemoryWriteRequest) has none yet.
                model.setType("object");
                model.setTypes(Set.of("object"));
            }
            for (ValueFormat format : ValueFormat.values()) {
                model.addProperty(format.field(), property(format));
            }
        }
        return schema;
    }

    private static Schema<?> property(ValueFormat format) {
        if (format.kind() == ValueFormat.Kind.TYPED) {
            // any JSON value, null included (OpenAPI 3.1: a schema without a type): its shape is the map's
            // BTF type's, which the document cannot know; generators make it Object / any
            Schema<?> any = new Schema<>();
            any.setDescription(format.description() + ". Writes may name only some fields of a struct; "
                    + "a per-CPU value is an array of one value per possible CPU; a session's memory, an array of elements.");
            return any;
        }
        if (format.kind() == ValueFormat.Kind.STRING) {
            return nullable("string").description(format.description());
        }
        if (format.decimalStrings()) {
            Schema<?> element = typed("string").pattern(format.kind() == ValueFormat.Kind.SIGNED
                    ? "^-?[0-9]{1,19}$" : "^[0-9]{1,20}$");
            element.setExample(format.max().toString());
            return nullable("array").items(element).description(format.description() + " (decimal strings of "
                    + "integers in [" + format.min() + ", " + format.max() + "]; requests may give JSON integers)");
        }
        Schema<?> element = typed("integer")
                .format(format.width() < 4 ? "int32" : "int64")
                .minimum(new BigDecimal(format.min()))
                .maximum(new BigDecimal(format.max()));
        return nullable("array").items(element).description(format.description() + " (JSON integers in ["
                + format.min() + ", " + format.max() + "])");
    }

    private static Schema<?> typed(String type) {
        Schema<?> schema = new Schema<>();
        schema.setType(type);
        schema.setTypes(Set.of(type));
        return schema;
    }

    /** OpenAPI 3.1's nullable: the type and "null". */
    private static Schema<?> nullable(String type) {
        Schema<?> schema = new Schema<>();
        schema.setType(type);
        schema.setTypes(new java.util.LinkedHashSet<>(java.util.List.of(type, "null")));
        return schema;
    }
}
