package io.bpfmapd.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.map.ValueFormat;
import io.bpfmapd.testing.ApiClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

/**
 * What a client generator needs of the document and of the service (issue 12, findings 1-9): the
 * generated clients themselves run in {@code io.bpfmapd.clients}; these are the same rules checked on the
 * document's text and on the wire, fast enough for every build.
 */
@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"bpfmapd.sessions.sweep-interval=100ms", "bpfmapd.emulated.data-dir=target/e2e-data"})
class GeneratorContractTest {

    static final String MAPS = "/api/v1/maps";
    static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    @LocalServerPort
    int port;

    ApiClient http;
    String doc;

    @BeforeEach
    void fetch() {
        http = ApiClient.at(port);
        ApiClient.Response r = http.get("/v3/api-docs");
        assertThat(r.status()).isEqualTo(200);
        doc = r.body();
    }

    /** §1: openapi-generator refuses a license without an SPDX identifier. */
    @Test
    void theLicenseHasItsSpdxIdentifier() {
        assertThat(JsonPath.<String>read(doc, "$.info.license.identifier")).isEqualTo(OpenApiConfiguration.LICENSE);
    }

    /** §9: no server entry names the host this request reached; the one entry is the document's own origin. */
    @Test
    void noServerIsTheFetchingHost() {
        List<String> urls = JsonPath.read(doc, "$.servers[*].url");
        assertThat(urls).containsExactly("/");
        assertThat(doc).doesNotContain("localhost:" + port);
    }

    /**
     * §2: an operation that answers 204 takes the Accept a generated client sends for it (only the problem
     * type it may answer with), and its errors are problems whatever Accept says.
     */
    @Test
    void noContentOperationsAcceptAProblemOnlyAccept() {
        String id = http.post(MAPS, "{\"type\": \"ARRAY\", \"keySize\": 4, \"valueSize\": 8, \"maxEntries\": 4, "
                + "\"flags\": [\"MMAPABLE\"]}").json("$.id");
        assertThat(send("PUT", MAPS + "/" + id + "/values/1", "{\"hex\": \"0100000000000000\"}", PROBLEM)
                .status()).isEqualTo(204);
        String sid = http.post(MAPS + "/" + id + "/sessions", "{\"access\": \"READ_WRITE\"}").json("$.id");
        assertThat(send("PUT", "/api/v1/sessions/" + sid + "/memory", "{\"hex\": \"02\"}", PROBLEM).status())
                .isEqualTo(204);
        assertThat(http.send("PUT", "/api/v1/sessions/" + sid + "/memory/bytes?offset=8",
                MediaType.APPLICATION_OCTET_STREAM_VALUE, new byte[] {3}, PROBLEM).status()).isEqualTo(204);
        assertThat(send("DELETE", "/api/v1/sessions/" + sid, null, PROBLEM).status()).isEqualTo(204);
        assertThat(send("DELETE", MAPS + "/" + id, null, PROBLEM).status()).isEqualTo(204);

        for (String accept : List.of(PROBLEM, MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.TEXT_HTML_VALUE)) {
            ApiClient.Response gone = send("DELETE", MAPS + "/" + id, null, accept);
            assertThat(gone.status()).as(accept + ": " + gone).isEqualTo(404);
            assertThat(gone.contentType()).as(accept).isEqualTo(PROBLEM);
            assertThat(gone.<String>json("$.errno")).isEqualTo("ENOENT");
        }
        ApiClient.Response refused = send("PUT", MAPS + "/" + id + "/values/1", "{\"hex\": \"01\"}", PROBLEM);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(404);
        assertThat(refused.contentType()).isEqualTo(PROBLEM);
    }

    /** §5: the octet-stream forms are operations of their own, each with one content type, bytes in and out. */
    @Test
    void octetStreamFormsAreOperationsOfTheirOwn() {
        assertThat(JsonPath.<String>read(doc, "$.paths['/api/v1/maps/{id}/data'].get.operationId"))
                .isEqualTo("readDataArea");
        assertThat(JsonPath.<String>read(doc, "$.paths['/api/v1/sessions/{sid}/memory/bytes'].get.operationId"))
                .isEqualTo("readMemoryBytes");
        assertThat(JsonPath.<String>read(doc, "$.paths['/api/v1/sessions/{sid}/memory/bytes'].put.operationId"))
                .isEqualTo("writeMemoryBytes");
        Map<String, Map<String, Map<String, Object>>> paths = JsonPath.read(doc, "$.paths");
        paths.forEach((path, ops) -> ops.forEach((method, op) -> {
            List<Map<String, Object>> contents = new ArrayList<>(JsonPath.<List<Map<String, Object>>>read(op,
                    "$.responses[?(@.content)].content"));
            if (op.containsKey("requestBody")) {
                contents.add(JsonPath.read(op, "$.requestBody.content"));
            }
            for (Map<String, Object> content : contents) {
                if (content.containsKey("application/octet-stream")) {
                    assertThat(content).as(method + " " + path).containsOnlyKeys("application/octet-stream");
                    assertThat(JsonPath.<String>read(content, "$['application/octet-stream'].schema.format"))
                            .isEqualTo("binary");
                }
            }
        }));
    }

    /** Stable, meaningful operationIds: the names generated clients call, which a rename would break. */
    @Test
    void operationIdsAreTheStableOnes() {
        assertThat(new TreeSet<>(JsonPath.<List<String>>read(doc, "$.paths.*.*.operationId"))).containsExactlyInAnyOrder(
                "createMap", "listMaps", "getMap", "deleteMap", "freezeMap", "pinMap", "importMap",
                "lookupValue", "updateValue", "lookupRange", "readDataArea", "dumpValues",
                "openSession", "listSessions", "getSession", "renewSession", "closeSession",
                "readMemory", "writeMemory", "readMemoryBytes", "writeMemoryBytes", "getMapBtf", "whoAmI",
                "listExports", "createExport", "getExport", "deleteExport", "streamValues", "streamEvents");
    }

    /**
     * typescript-fetch gives every operation {@code x} a second method {@code xRaw} (the response with its
     * headers): an operation named {@code readMemoryRaw} beside {@code readMemory} does not compile.
     */
    @Test
    void noOperationIdIsAnothersRawVariant() {
        List<String> ids = JsonPath.read(doc, "$.paths.*.*.operationId");
        assertThat(ids).doesNotHaveDuplicates();
        for (String id : ids) {
            assertThat(ids).as(id).doesNotContain(id + "Raw");
        }
    }

    /**
     * Every component schema is used: an unused one (a Java return type such as SseEmitter that springdoc
     * turned into a schema) is a warning of the generator's validation and of Redocly's linter.
     */
    @Test
    void everyComponentSchemaIsUsed() {
        Map<String, Object> schemas = JsonPath.read(doc, "$.components.schemas");
        List<String> unused = schemas.keySet().stream()
                .filter(name -> !doc.contains("\"#/components/schemas/" + name + "\""))
                .toList();
        assertThat(unused).as("component schemas no $ref names").isEmpty();
    }

    /**
     * §6: the Problem schema has every member a problem may carry, named in {@link ProblemWriter#EXTENSIONS},
     * and its enums are the registries': every errno (ENOKEY and ENFILE included) and every backend.
     */
    @Test
    void theProblemSchemaHasEveryMemberAndTheRegistriesEnums() {
        Set<String> members = new TreeSet<>(List.of("type", "title", "status", "detail", "instance"));
        members.addAll(ProblemWriter.EXTENSIONS);
        assertThat(JsonPath.<Map<String, Object>>read(doc, "$.components.schemas.Problem.properties").keySet())
                .containsExactlyInAnyOrderElementsOf(members);
        assertThat(JsonPath.<List<String>>read(doc, "$.components.schemas.Errno.enum"))
                .contains("ENOKEY", "ENFILE")
                .containsExactlyElementsOf(Arrays.stream(Errno.values()).map(Errno::name).toList());
        assertThat(JsonPath.<String>read(doc, "$.components.schemas.Problem.properties.backend.$ref"))
                .isEqualTo("#/components/schemas/BackendKind");
        assertThat(JsonPath.<List<String>>read(doc, "$.components.schemas.BackendKind.enum"))
                .containsExactlyElementsOf(Arrays.stream(BackendKind.values()).map(BackendKind::name).toList());
        assertThat(JsonPath.<String>read(doc, "$.components.schemas.Problem.properties.max.format")).isEqualTo("int64");
    }

    /**
     * §4 and §8: the 64-bit formats' elements are decimal strings (a generated client holds them whole), the
     * narrower integers carry the format that holds their range, and every value field is nullable and
     * optional, so a client leaves unset the fields it is not given.
     */
    @Test
    void valueFieldsAreNullableAnd64BitElementsAreDecimalStrings() {
        for (String type : List.of("ValueResponse", "ValueWriteRequest", "MemoryResponse", "MemoryWriteRequest")) {
            Map<String, Map<String, Object>> properties = JsonPath.read(doc, "$.components.schemas." + type + ".properties");
            List<String> required = JsonPath.<Map<String, Object>>read(doc, "$.components.schemas." + type)
                    .containsKey("required") ? JsonPath.read(doc, "$.components.schemas." + type + ".required") : List.of();
            for (ValueFormat format : ValueFormat.values()) {
                Map<String, Object> field = properties.get(format.field());
                assertThat(required).as(type).doesNotContain(format.field());
                if (format == ValueFormat.TYPED) {
                    // any JSON value, null included: a schema without a type (generated clients: Object, any)
                    assertThat(field).as(type + ".typed").doesNotContainKeys("type", "items", "$ref")
                            .containsKey("description");
                    continue;
                }
                assertThat(JsonPath.<List<String>>read(field, "$.type")).as(type + "." + format.field()).contains("null");
                assertThat(required).as(type).doesNotContain(format.field());
                if (format.kind() != ValueFormat.Kind.STRING) {
                    assertThat(JsonPath.<String>read(field, "$.items.type")).as(type + "." + format.field())
                            .isEqualTo(format.width() == 8 ? "string" : "integer");
                    assertThat(JsonPath.<Map<String, Object>>read(field, "$.items").get("format"))
                            .as(type + "." + format.field())
                            .isEqualTo(format.width() == 8 ? null : format.width() == 4 ? "int64" : "int32");
                }
            }
        }
    }

    /**
     * §3 and §8 on the wire: a field sent as null is not given, an empty array is a value of the wrong size
     * (EINVAL, nothing written), 64-bit elements come back as decimal strings (and are taken as numbers
     * too), and an answer has only the field asked for.
     */
    @Test
    void anEmptyArrayIsAValueOfTheWrongSizeAndNullIsNotGiven() {
        String id = http.post(MAPS, "{\"type\": \"ARRAY\", \"keySize\": 4, \"valueSize\": 8, \"maxEntries\": 2}")
                .json("$.id");
        String value = MAPS + "/" + id + "/values/0";
        assertThat(http.put(value, "{\"u64\": [\"18446744073709551615\"], \"hex\": null, \"u8\": null}").status())
                .isEqualTo(204);
        assertThat(http.get(value + "?format=u64").body()).isEqualTo("{\"index\":0,\"u64\":[\"18446744073709551615\"]}");
        assertThat(http.get(value + "?format=i64").body()).isEqualTo("{\"index\":0,\"i64\":[\"-1\"]}");

        for (String body : List.of("{\"u8\": []}", "{\"u64\": []}", "{\"hex\": \"0100000000000000\", \"u8\": []}")) {
            ApiClient.Response refused = http.put(value, body);
            assertThat(refused.status()).as(body + ": " + refused).isEqualTo(400);
            assertThat(refused.<String>json("$.errno")).isEqualTo("EINVAL");
        }
        assertThat(http.get(value + "?format=hex").<String>json("$.hex")).isEqualTo("ffffffffffffffff");
        assertThat(http.put(value, "{\"u64\": [9223372036854775808]}").status()).as("a JSON number").isEqualTo(204);
        assertThat(http.get(value + "?format=u64").<List<String>>json("$.u64")).containsExactly("9223372036854775808");
        assertThat(http.delete(MAPS + "/" + id).status()).isEqualTo(204);
    }

    /** §7: every enum is a named component; none is written inline in an operation or a property. */
    @Test
    void everyEnumIsANamedComponent() {
        List<String> inline = new ArrayList<>();
        Map<String, Object> root = JsonPath.read(doc, "$");
        findEnums(root, "$", inline);
        assertThat(inline).allMatch(at -> at.matches("\\$\\.components\\.schemas\\.[A-Za-z]+\\.enum"), "at top level "
                + "of a component");
        assertThat(inline).contains("$.components.schemas.MapType.enum", "$.components.schemas.MapFlag.enum",
                "$.components.schemas.SessionAccess.enum", "$.components.schemas.UpdateFlag.enum",
                "$.components.schemas.Errno.enum");
    }

    private static void findEnums(Object node, String at, List<String> found) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("enum".equals(key)) {
                    found.add(at + ".enum");
                } else if (!"example".equals(key) && !"examples".equals(key)) {
                    findEnums(value, at + "." + key, found);
                }
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                findEnums(list.get(i), at + "[" + i + "]", found);
            }
        }
    }

    private ApiClient.Response send(String method, String path, String json, String accept) {
        return http.send(method, path, json == null ? null : MediaType.APPLICATION_JSON_VALUE,
                json == null ? null : json.getBytes(), accept);
    }
}
