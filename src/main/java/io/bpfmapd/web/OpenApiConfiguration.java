package io.bpfmapd.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.servers.Server;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The OpenAPI 3.1 document at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}). Every error
 * response an operation declares gets the {@code Problem} schema as {@code application/problem+json}, so a
 * generated client can read the problem details unchanged.
 *
 * <p>What a client generator needs of it (issue 12): an SPDX {@code license.identifier} (openapi-generator
 * refuses a license without one); one {@code servers} entry, {@code /}, the document's own origin, instead
 * of the address this one request came to, which would become every generated client's default; every
 * Java enum as a named component ({@code $ref}) rather than an inline list, so that a generator makes one
 * type of it.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String PROBLEM_SCHEMA = "Problem";

    /** The license of the service, as SPDX names it. */
    static final String LICENSE = "Apache-2.0";

    static {
        // swagger-core's switch for enums as components; springdoc has no property for it.
        ModelResolver.enumsAsRef = true;
        // The octet-stream and event-stream operations document their body themselves; the Java types are
        // no schema of the API (an unused component is a warning of the generator and of Redocly).
        SpringDocUtils.getConfig().addResponseTypeToIgnore(StreamingResponseBody.class);
        SpringDocUtils.getConfig().addResponseTypeToIgnore(SseEmitter.class);
    }

    @Bean
    OpenAPI bpfmapdOpenApi() {
        return new OpenAPI().servers(List.of(new Server().url("/")
                        .description("The service that serves this document: a generated client sets its own base URL")))
                .info(new Info()
                .title("bpfmapd")
                .version("v1")
                .license(new License().name(LICENSE).identifier(LICENSE))
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
            // Problem and the enums it refers to (Errno, BackendKind) as components of their own
            ModelConverters.getInstance(true).readAll(ProblemDoc.class).forEach(openApi.getComponents()::addSchemas);
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
