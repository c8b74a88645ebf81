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
        if (format.kind() == ValueFormat.Kind.STRING) {
            return typed("string").description(format.description());
        }
        Schema<?> element = typed("integer")
                .minimum(new BigDecimal(format.min()))
                .maximum(new BigDecimal(format.max()));
        return typed("array").items(element).description(format.description() + " (JSON integers in ["
                + format.min() + ", " + format.max() + "])");
    }

    private static Schema<?> typed(String type) {
        Schema<?> schema = new Schema<>();
        schema.setType(type);
        schema.setTypes(Set.of(type));
        return schema;
    }
}
