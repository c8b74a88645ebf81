package io.bpfmapd.map;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JSON body that carries a value in one field per {@link ValueFormat} ({@code hex}, {@code u64}...).
 * Requests take the fields with {@code @JsonAnySetter} into a map for {@link ValueCodec#decode}, answers
 * give the one they hold with {@code @JsonAnyGetter}; {@link ValueFieldsSchemas} documents one property
 * per format in the type's OpenAPI schema. So no request or answer type lists the formats itself.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ValueFields {
}
