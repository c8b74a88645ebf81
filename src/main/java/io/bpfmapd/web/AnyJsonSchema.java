package io.bpfmapd.web;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Iterator;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A {@link JsonNode} in a request or response is any JSON value (a typed value, whose shape is a map's BTF
 * type's and which the document cannot know): OpenAPI 3.1's schema without a type, which generators make
 * Object / any, instead of the bean schema of JsonNode's getters ({@code isArray}, {@code isNull}...).
 */
@Component
class AnyJsonSchema implements ModelConverter {

    @Override
    public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        if (type.getType() != null && JsonNode.class.isAssignableFrom(Json.mapper().constructType(type.getType()).getRawClass())) {
            return new Schema<>();
        }
        return chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
    }
}
