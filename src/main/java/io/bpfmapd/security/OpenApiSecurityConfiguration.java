package io.bpfmapd.security;

import io.bpfmapd.web.ProblemType;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bearer scheme in the OpenAPI document, required by every operation, with the 401 and 403 every
 * operation can answer, so that a generated client sends the token and knows both problems.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiSecurityConfiguration {

    static final String SCHEME = "bearer";
    static final String UNAUTHENTICATED = ProblemType.UNAUTHENTICATED.errno()
            + ": no bearer token, or one nobody configured (type " + ProblemType.UNAUTHENTICATED.uri() + ")";
    static final String FORBIDDEN = ProblemType.FORBIDDEN.errno() + ": the principal lacks the role this operation "
            + "needs (reader, writer, admin), or the session is another principal's (type "
            + ProblemType.FORBIDDEN.uri() + " or " + ProblemType.NOT_SESSION_OWNER.uri() + ")";

    @Bean
    OpenApiCustomizer bearerSecurity() {
        return openApi -> {
            openApi.getComponents().addSecuritySchemes(SCHEME, new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .description("A token configured by its SHA-256 (bpfmapd.security.tokens or tokens-file); "
                            + "not needed when the service runs open on loopback"));
            openApi.addSecurityItem(new SecurityRequirement().addList(SCHEME));
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(op -> {
                op.getResponses().putIfAbsent("401", problem(UNAUTHENTICATED));
                ApiResponse forbidden = op.getResponses().get("403");
                if (forbidden == null) {
                    op.getResponses().addApiResponse("403", problem(FORBIDDEN));
                } else if (!forbidden.getDescription().contains(FORBIDDEN)) {
                    forbidden.setDescription(forbidden.getDescription() + "; " + FORBIDDEN);
                }
            }));
        };
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType("application/problem+json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
    }
}
