package io.bpfmapd.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.map.ValueFormat;
import io.bpfmapd.testing.ApiClient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** The OpenAPI document describes every endpoint the application serves, and every error as a Problem. */
@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"bpfmapd.sessions.sweep-interval=100ms", "bpfmapd.emulated.data-dir=target/e2e-data"})
class OpenApiDocumentTest {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    String doc;

    @org.junit.jupiter.api.BeforeEach
    void fetch() {
        ApiClient.Response r = ApiClient.at(port).get("/v3/api-docs");
        assertThat(r.status()).isEqualTo(200);
        doc = r.body();
    }

    @Test
    void isOpenApi31() {
        assertThat(JsonPath.<String>read(doc, "$.openapi")).startsWith("3.1");
    }

    @Test
    void listsEveryEndpointTheApplicationServes() {
        Set<String> served = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> info.getPathPatternsCondition().getPatternValues()
                .stream().filter(p -> p.startsWith("/api/v1"))
                .forEach(p -> info.getMethodsCondition().getMethods()
                        .forEach(m -> served.add(m.name() + " " + p))));
        Set<String> documented = new TreeSet<>();
        Map<String, Map<String, Object>> paths = JsonPath.read(doc, "$.paths");
        paths.forEach((path, ops) -> ops.keySet().forEach(m -> documented.add(m.toUpperCase() + " " + path)));

        assertThat(served).hasSize(29);
        assertThat(documented).isEqualTo(served);
    }

    @Test
    void everyOperationHasAnIdASummaryASuccessAndAnError() {
        Map<String, Map<String, Map<String, Object>>> paths = JsonPath.read(doc, "$.paths");
        paths.forEach((path, ops) -> ops.forEach((method, op) -> {
            String where = method + " " + path;
            assertThat(op).as(where).containsKeys("operationId", "summary", "responses");
            @SuppressWarnings("unchecked")
            Map<String, Object> responses = (Map<String, Object>) op.get("responses");
            assertThat(responses.keySet()).as(where).anyMatch(s -> s.startsWith("2"));
            assertThat(responses.keySet()).as(where).anyMatch(s -> s.startsWith("4"));
            if (path.contains("{id}") && !path.contains("sessions/")) {
                assertThat(responses).as(where + " documents an unknown map").containsKey("404");
            }
            if (path.contains("{sid}")) {
                assertThat(responses).as(where + " documents an unknown session").containsKey("404");
            }
            boolean takesInput = op.containsKey("requestBody") || path.contains("{index}")
                    || op.containsKey("parameters") && JsonPath.<java.util.List<String>>read(op,
                    "$.parameters[?(@.in == 'query')].name").stream().anyMatch(n -> !n.equals("mapId"));
            if (takesInput) {
                assertThat(responses).as(where + " documents bad input").containsKey("400");
            }
        }));
    }

    @Test
    void everyErrorResponseIsAProblemDetail() {
        Map<String, Map<String, Map<String, Object>>> paths = JsonPath.read(doc, "$.paths");
        Set<String> statuses = new TreeSet<>();
        paths.forEach((path, ops) -> ops.forEach((method, op) -> {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) op.get("responses");
            responses.forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    statuses.add(status);
                    assertThat(response.get("description")).as(method + " " + path + " " + status).isNotNull();
                    assertThat(JsonPath.<String>read(response, "$.content['application/problem+json'].schema.$ref"))
                            .as(method + " " + path + " " + status).isEqualTo("#/components/schemas/Problem");
                }
            });
        }));
        assertThat(statuses).contains("400", "403", "404", "409", "410", "422", "503");
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.components.schemas.Problem.properties"))
                .containsKeys("type", "title", "status", "detail", "instance", "errno", "operation");
    }

    /** The document names every problem type and errno of the registries, and none that is not in them. */
    @Test
    void problemTypesAndErrnosAreThoseOfTheRegistries() {
        Set<String> known = new TreeSet<>();
        for (ProblemType type : ProblemType.values()) {
            if (type != ProblemType.ERRNO) {
                known.add(type.uri().toString());
            }
        }
        for (Errno errno : Errno.values()) {
            known.add(ProblemType.ERRNO.uri(errno).toString());
        }
        Set<String> mentioned = new TreeSet<>();
        Matcher urn = Pattern.compile(Pattern.quote(ProblemType.PREFIX) + "[a-z0-9-]+").matcher(doc);
        while (urn.find()) {
            mentioned.add(urn.group());
        }
        assertThat(known).containsAll(mentioned);
        String description = JsonPath.read(doc, "$.info.description");
        for (ProblemType type : ProblemType.values()) {
            if (type != ProblemType.ERRNO) {
                assertThat(description).as(type.name()).contains("`" + type.uri() + "`");
            }
        }
        assertThat(JsonPath.<String>read(doc, "$.components.schemas.Problem.properties.errno.$ref"))
                .isEqualTo("#/components/schemas/Errno");
        assertThat(JsonPath.<List<String>>read(doc, "$.components.schemas.Errno.enum"))
                .containsExactlyElementsOf(Arrays.stream(Errno.values()).map(Errno::name).toList());
    }

    /** Each octet-stream form is an operation of its own (issue 12 §5): a generator gives each one method. */
    @Test
    void bothRepresentationsOfValuesAndMemoryAreDocumented() {
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.paths['/api/v1/maps/{id}/values'].get.responses.200.content"))
                .containsOnlyKeys("application/json");
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.paths['/api/v1/maps/{id}/data'].get.responses.200.content"))
                .containsOnlyKeys("application/octet-stream");
        assertThat(JsonPath.<Map<String, Object>>read(doc,
                "$.paths['/api/v1/sessions/{sid}/memory'].get.responses.200.content"))
                .containsOnlyKeys("application/json");
        assertThat(JsonPath.<Map<String, Object>>read(doc,
                "$.paths['/api/v1/sessions/{sid}/memory/bytes'].get.responses.200.content"))
                .containsOnlyKeys("application/octet-stream");
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.paths['/api/v1/sessions/{sid}/memory'].put.requestBody.content"))
                .containsOnlyKeys("application/json");
        assertThat(JsonPath.<Map<String, Object>>read(doc,
                "$.paths['/api/v1/sessions/{sid}/memory/bytes'].put.requestBody.content"))
                .containsOnlyKeys("application/octet-stream");
    }

    /** The formats are the enum's: a new constant shows in every format parameter and value schema. */
    @Test
    void everyValueFormatIsAnAllowedFormatAndAValueField() {
        List<String> formats = Arrays.stream(ValueFormat.values()).map(ValueFormat::field).toList();
        assertThat(formats).contains("hex", "base64", "u8", "u16", "u32", "u64", "i64", "typed");

        // GET /maps/{id}/btf's format (json or c) says how to print types, not values: it is not a value format.
        List<Map<String, Object>> params = new java.util.ArrayList<>();
        Map<String, Object> paths = JsonPath.read(doc, "$.paths");
        paths.forEach((path, ops) -> {
            if (!path.equals("/api/v1/maps/{id}/btf")) {
                params.addAll(JsonPath.<List<Map<String, Object>>>read(ops, "$.*.parameters[?(@.name == 'format')]"));
            }
        });
        assertThat(params).as("lookupValue, lookupRange, dumpValues, readMemory, streamValues").hasSize(5);
        List<Map<String, Object>> btfFormat = JsonPath.read(doc, "$.paths['/api/v1/maps/{id}/btf'].get.parameters[?(@.name == 'format')].schema");
        assertThat(resolve(btfFormat.getFirst()).get("enum")).isEqualTo(List.of("json", "c"));
        for (Map<String, Object> param : params) {
            Map<String, Object> schema = resolve(JsonPath.read(param, "$.schema"));
            assertThat(schema.get("enum")).as("%s", param).isEqualTo(formats);
            assertThat(JsonPath.<Object>read(param, "$.schema.default")).isEqualTo(ValueFormat.DEFAULT_NAME);
        }

        for (String type : List.of("ValueResponse", "ValueWriteRequest", "MemoryResponse", "MemoryWriteRequest")) {
            assertThat(JsonPath.<String>read(doc, "$.components.schemas." + type + ".type")).as(type).isEqualTo("object");
            Map<String, Map<String, Object>> properties = JsonPath.read(doc, "$.components.schemas." + type + ".properties");
            assertThat(properties).as(type).containsKeys(formats.toArray(String[]::new))
                    .doesNotContainKeys("value", "values", "valueField");
            assertThat(properties.get("u16")).as(type).containsEntry("type", List.of("array", "null"));
            assertThat(JsonPath.<Object>read(properties.get("u16"), "$.items.maximum")).isEqualTo(65535);
            assertThat(JsonPath.<Object>read(properties.get("i64"), "$.items.type")).isEqualTo("string");
            assertThat(properties.get("hex")).containsEntry("type", List.of("string", "null"));
        }
    }

    private Map<String, Object> resolve(Map<String, Object> schema) {
        Object ref = schema.get("$ref");
        return ref == null ? schema : JsonPath.read(doc, "$.components.schemas."
                + ref.toString().substring(ref.toString().lastIndexOf('/') + 1));
    }

    @Test
    void swaggerUiIsServed() {
        ApiClient.Response ui = ApiClient.at(port).get("/swagger-ui/index.html", "text/html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("Swagger UI");
    }
}
