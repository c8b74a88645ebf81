package io.bpfmapd.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Where a request body asks for an integer ({@code maxEntries}, {@code ttlSeconds}, {@code offset}...),
 * only a JSON integer is one. Jackson would otherwise truncate {@code 1.5} to 1, take {@code 1e-5} as 0
 * and {@code " 12"} as 12: a value the client did not write. Each fails the read instead, a 400
 * {@code malformed-request} problem with errno EINVAL that names the field, before anything is done.
 * The same rule for path and query parameters is {@link IntegerParameters}; for the elements of value
 * arrays ({@code "u64": [...]}) it is {@code ValueCodec}'s.
 */
@Configuration(proxyBeanMethods = false)
public class JsonIntegers {

    @Bean
    JsonMapperBuilderCustomizer integersAreIntegers() {
        return builder -> builder.withCoercionConfig(LogicalType.Integer, config -> config
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }
}
