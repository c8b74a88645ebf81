package io.bpfmapd.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3.1 document at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}). Every error
 * response an operation declares gets the {@code Problem} schema as {@code application/problem+json}, so a
 * generated client can read the problem details unchanged.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String PROBLEM_SCHEMA = "Problem";

    @Bean
    OpenAPI bpfmapdOpenApi() {
        return new OpenAPI().info(new Info()
                .title("bpfmapd")
                .version("v1")
                .license(new License().name("Apache-2.0"))
                .description("""
                        Linux BPF array maps over REST: create, freeze, look up and update values, and hand out
                        mmap sessions (shared mappings held as leases) through the kernel or its in-JVM emulation.

                        Every error is an RFC 9457 problem detail (application/problem+json) with a stable `type`
                        (`urn:bpfmapd:problem:<errno>` such as `urn:bpfmapd:problem:ebusy`, or one of %s), a symbolic
                        `errno` where the failure is one, and the `operation` that failed."""
                        .formatted(namedTypes())));
    }

    /** Every named problem type of the registry, so the document cannot miss one. */
    static String namedTypes() {
        return Arrays.stream(ProblemType.values())
                .filter(type -> type != ProblemType.ERRNO)
                .map(type -> "`" + type.uri() + "`")
                .collect(Collectors.joining(", "));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            openApi.getComponents().addSchemas(PROBLEM_SCHEMA,
                    ModelConverters.getInstance(true).readAllAsResolvedSchema(ProblemDoc.class).schema);
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(op ->
                    op.getResponses().forEach((status, response) -> {
                        if (isError(status)) {
                            response.setContent(problemContent());
                        }
                    })));
        };
    }

    private static boolean isError(String status) {
        return status.startsWith("4") || status.startsWith("5");
    }

    private static Content problemContent() {
        return new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA)));
    }

}
