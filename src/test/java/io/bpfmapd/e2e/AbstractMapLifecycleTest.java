package io.bpfmapd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfmapd.session.SessionRegistry;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

/**
 * The life of a map over real HTTP, the same for every backend: a subclass per backend names it.
 * After each test no session is left open and no map is left behind.
 */
abstract class AbstractMapLifecycleTest {

    @LocalServerPort
    int port;

    @Autowired
    SessionRegistry registry;

    ApiClient http;

    /** The backend's name in requests: EMULATED or KERNEL. */
    abstract String backend();

    @BeforeEach
    void client() {
        http = ApiClient.at(port);
    }

    @AfterEach
    void nothingLeaks() {
        // Clean up first, so that one failing test does not fail the next ones; then say what leaked.
        List<String> leaked = http.get("/api/v1/sessions").json("$[*].id");
        leaked.forEach(sid -> http.delete("/api/v1/sessions/" + sid));
        List<String> maps = http.get("/api/v1/maps").json("$[*].id");
        maps.forEach(id -> assertThat(http.delete("/api/v1/maps/" + id).status()).isEqualTo(204));
        assertThat(leaked).as("sessions left open by the test").isEmpty();
        assertThat(registry.size()).isZero();
        assertBackendHoldsNothing();
    }

    /** With every session closed and every map deleted, the backend holds no map and no mapping. */
    abstract void assertBackendHoldsNothing();

    @Test
    void aMapsLife() {
        String map = createMap("counters", "ARRAY", 8, 16, "[\"MMAPABLE\"]");

        Response rw = http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\", \"ttlSeconds\": 60}");
        assertThat(rw.status()).as(rw.toString()).isEqualTo(201);
        String rwId = rw.json("$.id");
        assertThat(rw.headers().firstValue("Location")).hasValue("/api/v1/sessions/" + rwId);
        assertThat(rw.<Integer>json("$.length")).isEqualTo(4096);
        assertThat(rw.<String>json("$.owner")).isEqualTo("anonymous");

        assertThat(http.put("/api/v1/sessions/" + rwId + "/memory?offset=24", "{\"u64\": [111]}").status())
                .isEqualTo(204);
        Response value = http.get("/api/v1/maps/" + map + "/values/3");
        assertThat(value.body()).isEqualTo("{\"index\":3,\"hex\":\"6f00000000000000\"}");

        Response shown = http.get("/api/v1/maps/" + map);
        assertThat(shown.<Integer>json("$.sessions.active")).isEqualTo(1);
        assertThat(shown.<Integer>json("$.sessions.writable")).isEqualTo(1);

        Response busy = http.post("/api/v1/maps/" + map + "/freeze", null);
        assertProblem(busy, 409, "EBUSY");

        assertThat(http.delete("/api/v1/sessions/" + rwId).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/sessions/" + rwId).status()).isEqualTo(404);

        Response frozen = http.post("/api/v1/maps/" + map + "/freeze", null);
        assertThat(frozen.status()).as(frozen.toString()).isEqualTo(200);
        assertThat(frozen.<Boolean>json("$.frozen")).isTrue();
        assertProblem(http.post("/api/v1/maps/" + map + "/freeze", null), 403, "EPERM");

        assertProblem(http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\"}"), 403, "EPERM");
        assertProblem(http.put("/api/v1/maps/" + map + "/values/3", "{\"u64\": [1]}"), 403, "EPERM");

        Response ro = http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_ONLY\"}");
        assertThat(ro.status()).as(ro.toString()).isEqualTo(201);
        String roId = ro.json("$.id");
        Response read = http.get("/api/v1/sessions/" + roId + "/memory?offset=24&length=8&format=u64");
        assertThat(read.body()).isEqualTo("{\"offset\":24,\"length\":8,\"u64\":[\"111\"]}");
        assertProblem(http.put("/api/v1/sessions/" + roId + "/memory", "{\"u8\": [1]}"), 403, "EACCES");
        assertThat(http.delete("/api/v1/sessions/" + roId).status()).isEqualTo(204);
    }

    @Test
    void aSessionKeepsWorkingAfterItsMapIsDeleted() {
        String map = createMap("gone", "ARRAY", 8, 4, "[\"MMAPABLE\"]");
        String sid = openSession(map, "READ_WRITE");
        http.put("/api/v1/sessions/" + sid + "/memory?offset=8", "{\"hex\": \"2a\"}");

        assertThat(http.delete("/api/v1/maps/" + map).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/maps/" + map).status()).isEqualTo(404);
        assertProblem(http.get("/api/v1/maps/" + map + "/values/1"), 404, "ENOENT");

        assertThat(http.get("/api/v1/sessions/" + sid + "/memory?offset=8&length=1").body())
                .isEqualTo("{\"offset\":8,\"length\":1,\"hex\":\"2a\"}");
        assertThat(http.put("/api/v1/sessions/" + sid + "/memory?offset=9", "{\"hex\": \"2b\"}").status()).isEqualTo(204);
        assertThat(http.getBytes("/api/v1/sessions/" + sid + "/memory?offset=8&length=2").bytes())
                .containsExactly(0x2a, 0x2b);
        assertThat(http.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);
    }

    @Test
    void anExpiredLeaseUnblocksFreeze() {
        String map = createMap("lease", "ARRAY", 8, 4, "[\"MMAPABLE\"]");
        Response s = http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\", \"ttlSeconds\": 1}");
        assertThat(s.status()).isEqualTo(201);
        assertProblem(http.post("/api/v1/maps/" + map + "/freeze", null), 409, "EBUSY");

        // The sweeper, not a request on the session, must release it: poll the map only.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/api/v1/maps/" + map).<Integer>json("$.sessions.active") == 0);
        assertThat(http.post("/api/v1/maps/" + map + "/freeze", null).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/sessions/" + s.<String>json("$.id")).status()).isEqualTo(404);
    }

    @Test
    void ttlAboveTheMaximumIsRefusedAndOpensNothing() {
        String map = createMap("ttl", "ARRAY", 8, 4, "[\"MMAPABLE\"]");
        assertProblem(http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\", \"ttlSeconds\": 3601}"),
                400, "EINVAL");
        assertProblem(http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\", \"ttlSeconds\": 0}"),
                400, "EINVAL");
        assertThat(http.post("/api/v1/maps/" + map + "/freeze", null).status()).isEqualTo(200);
    }

    @Test
    void renewMovesTheExpiry() {
        String map = createMap("renew", "ARRAY", 8, 4, "[\"MMAPABLE\"]");
        String sid = openSession(map, "READ_ONLY");
        Response renewed = http.post("/api/v1/sessions/" + sid + "/renew", "{\"ttlSeconds\": 3600}");
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(java.time.Instant.parse(renewed.json("$.expiresAt")))
                .isAfter(java.time.Instant.now().plusSeconds(3500));
        assertProblem(http.post("/api/v1/sessions/" + sid + "/renew", "{\"ttlSeconds\": -5}"), 400, "EINVAL");
        assertThat(http.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);
    }

    @Test
    void theWholeDataAreaStreamsAsOctets() {
        String map = createMap("stream", "ARRAY", 12, 300, "[\"MMAPABLE\"]");
        http.put("/api/v1/maps/" + map + "/values/299", "{\"hex\": \"0102030405060708090a0b0c\"}");

        Response bytes = http.getBytes("/api/v1/maps/" + map + "/values");
        assertThat(bytes.status()).isEqualTo(200);
        assertThat(bytes.contentType()).isEqualTo(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        // elem_size 16, 300 entries: 4800 bytes, page-aligned to 8192
        assertThat(bytes.bytes()).hasSize(8192);
        assertThat(HexFormat.of().formatHex(bytes.bytes(), 299 * 16, 299 * 16 + 16))
                .isEqualTo("0102030405060708090a0b0c00000000");
        assertThat(registry.size()).isZero();
    }

    @Test
    void aHeadOfTheDataAreaLeavesNoMappingBehind() {
        String map = createMap("head", "ARRAY", 8, 16, "[\"MMAPABLE\"]");

        Response head = http.send("HEAD", "/api/v1/maps/" + map + "/values", null, null,
                MediaType.APPLICATION_OCTET_STREAM_VALUE);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(4096);
        // nothingLeaks: once the map is deleted, no temporary mapping may keep it alive
    }

    @Test
    void aMapWithoutMmapStreamsLookupsPaddedToEightBytes() {
        String map = createMap("plain", "ARRAY", 4, 3, "[]");
        http.put("/api/v1/maps/" + map + "/values/1", "{\"u32\": [4294967295]}");

        Response bytes = http.getBytes("/api/v1/maps/" + map + "/values");
        assertThat(bytes.status()).as(bytes.toString()).isEqualTo(200);
        assertThat(HexFormat.of().formatHex(bytes.bytes())).isEqualTo("0000000000000000" + "ffffffff00000000"
                + "0000000000000000");
        assertProblem(http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_ONLY\"}"), 400, "EINVAL");
    }

    @Test
    void perCpuValuesAreTheKernelsPerCpuBuffer() {
        String map = createMap("percpu", "PERCPU_ARRAY", 4, 2, "[]");
        String hex = http.get("/api/v1/maps/" + map + "/values/0").json("$.hex");
        int cpus = hex.length() / 2 / 8;
        assertThat(cpus).isPositive();
        assertThat(hex.length()).isEqualTo(cpus * 16);

        assertProblem(http.put("/api/v1/maps/" + map + "/values/0", "{\"hex\": \"01000000\"}"), 400, "EINVAL");
        String value = "2a00000000000000".repeat(cpus);
        assertThat(http.put("/api/v1/maps/" + map + "/values/0", "{\"hex\": \"" + value + "\"}").status()).isEqualTo(204);
        assertThat(http.get("/api/v1/maps/" + map + "/values/0?format=u64").<List<String>>json("$.u64"))
                .hasSize(cpus).containsOnly("42");
        assertThat(http.getBytes("/api/v1/maps/" + map + "/values").bytes()).hasSize(2 * 8 * cpus);
        assertProblem(http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_ONLY\"}"), 422, "ENOTSUPP");
    }

    @Test
    void valuesInEveryFormatAndRanges() {
        String map = createMap("formats", "ARRAY", 8, 4, "[\"MMAPABLE\"]");
        assertThat(http.put("/api/v1/maps/" + map + "/values/0", "{\"u32\": [1, 2]}").status()).isEqualTo(204);
        assertThat(http.put("/api/v1/maps/" + map + "/values/1", "{\"i64\": [-2]}").status()).isEqualTo(204);
        assertThat(http.put("/api/v1/maps/" + map + "/values/2", "{\"base64\": \"AQIDBAUGBwg=\"}").status()).isEqualTo(204);
        assertThat(http.put("/api/v1/maps/" + map + "/values/3", "{\"u16\": [1, 2, 3, 65535]}").status()).isEqualTo(204);

        assertThat(http.get("/api/v1/maps/" + map + "/values/0?format=u64").body()).isEqualTo("{\"index\":0,\"u64\":[\"8589934593\"]}");
        assertThat(http.get("/api/v1/maps/" + map + "/values/1?format=u64").body())
                .isEqualTo("{\"index\":1,\"u64\":[\"18446744073709551614\"]}");
        assertThat(http.get("/api/v1/maps/" + map + "/values/2?format=u8").body())
                .isEqualTo("{\"index\":2,\"u8\":[1,2,3,4,5,6,7,8]}");
        assertThat(http.get("/api/v1/maps/" + map + "/values/3?format=base64").body())
                .isEqualTo("{\"index\":3,\"base64\":\"AQACAAMA//8=\"}");

        Response range = http.get("/api/v1/maps/" + map + "/values?from=1&count=10&format=i64");
        assertThat(range.body()).isEqualTo("{\"from\":1,\"count\":3,\"format\":\"i64\",\"values\":["
                + "{\"index\":1,\"i64\":[\"-2\"]},{\"index\":2,\"i64\":[\"578437695752307201\"]},"
                + "{\"index\":3,\"i64\":[\"-281462091677695\"]}]}");
        assertProblem(http.get("/api/v1/maps/" + map + "/values?count=100000"), 400, "EINVAL");
        assertProblem(http.get("/api/v1/maps/" + map + "/values/4"), 404, "ENOENT");
        assertProblem(http.put("/api/v1/maps/" + map + "/values/4", "{\"u64\": [1]}"), 400, "E2BIG");
        assertProblem(http.put("/api/v1/maps/" + map + "/values/0", "{\"u64\": [1], \"flags\": \"NOEXIST\"}"), 409,
                "EEXIST");
        assertProblem(http.put("/api/v1/maps/" + map + "/values/0", "{\"u32\": [1]}"), 400, "EINVAL");
        // none of the refused writes changed the value
        assertThat(http.get("/api/v1/maps/" + map + "/values/0?format=u32").body()).isEqualTo("{\"index\":0,\"u32\":[1,2]}");
    }

    @Test
    void sessionMemoryInOctetsAndBounds() {
        String map = createMap("octets", "ARRAY", 8, 1024, "[\"MMAPABLE\"]");
        Response s = http.post("/api/v1/maps/" + map + "/sessions",
                "{\"access\": \"READ_WRITE\", \"offset\": 4096, \"length\": 100}");
        assertThat(s.status()).as(s.toString()).isEqualTo(201);
        assertThat(s.<Integer>json("$.offset")).isEqualTo(4096);
        assertThat(s.<Integer>json("$.length")).isEqualTo(4096);
        String sid = s.json("$.id");

        byte[] payload = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(9).array();
        assertThat(http.putBytes("/api/v1/sessions/" + sid + "/memory?offset=8", payload).status()).isEqualTo(204);
        // window offset 8 is byte 4104 of the value area: elements 513 and 514
        assertThat(http.get("/api/v1/maps/" + map + "/values/513?format=u64").body()).isEqualTo("{\"index\":513,\"u64\":[\"7\"]}");
        assertThat(http.get("/api/v1/maps/" + map + "/values/514?format=u64").body()).isEqualTo("{\"index\":514,\"u64\":[\"9\"]}");

        assertProblem(http.putBytes("/api/v1/sessions/" + sid + "/memory?offset=4090", payload), 400, "EINVAL");
        assertProblem(http.get("/api/v1/sessions/" + sid + "/memory?offset=4000&length=97"), 400, "EINVAL");
        assertProblem(http.get("/api/v1/sessions/" + sid + "/memory?offset=5000"), 400, "EINVAL");
        assertThat(http.getBytes("/api/v1/sessions/" + sid + "/memory").bytes()).hasSize(4096);
        assertThat(http.get("/api/v1/maps/" + map + "/values/511?format=u64").body()).isEqualTo("{\"index\":511,\"u64\":[\"0\"]}");

        assertProblem(http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_ONLY\", \"offset\": 100}"),
                400, "EINVAL");
        assertProblem(http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_ONLY\", \"offset\": 8192}"),
                400, "EINVAL");
        assertProblem(http.post("/api/v1/maps/" + map + "/sessions",
                "{\"access\": \"READ_ONLY\", \"length\": 4611686018427387904}"), 400, "EINVAL");
        assertThat(http.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);
    }

    @Test
    void badSpecsAreRefusedWithTheKernelsErrno() {
        assertProblem(http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 0, \"maxEntries\": 4, "
                + "\"backend\": \"" + backend() + "\"}"), 400, "EINVAL");
        assertProblem(http.post("/api/v1/maps", "{\"type\": \"PERCPU_ARRAY\", \"valueSize\": 8, \"maxEntries\": 4, "
                + "\"flags\": [\"MMAPABLE\"], \"backend\": \"" + backend() + "\"}"), 400, "EINVAL");
        assertProblem(http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"keySize\": 8, \"valueSize\": 8, "
                + "\"maxEntries\": 4, \"backend\": \"" + backend() + "\"}"), 400, "EINVAL");
        assertThat(http.get("/api/v1/maps").body()).isEqualTo("[]");
    }

    @Test
    void metricsAreScrapedByPrometheus() {
        String map = createMap("metrics", "ARRAY", 8, 4, "[\"MMAPABLE\"]");
        String sid = openSession(map, "READ_WRITE");
        http.put("/api/v1/sessions/" + sid + "/memory", "{\"u64\": [1]}");
        http.get("/api/v1/sessions/" + sid + "/memory?length=8");
        http.post("/api/v1/maps/" + map + "/freeze", null);

        String scrape = http.get("/actuator/prometheus", MediaType.TEXT_PLAIN_VALUE).body();
        assertThat(scrape)
                .contains("bpfmapd_maps{backend=\"" + backend() + "\"} 1.0")
                .contains("bpfmapd_sessions_active{access=\"READ_WRITE\"} 1.0")
                .contains("bpfmapd_sessions_mapped_bytes 4096.0")
                .containsPattern("bpfmapd_sessions_opened_total\\{outcome=\"ok\"} [1-9]")
                .containsPattern("bpfmapd_freezes_total\\{outcome=\"EBUSY\"} [1-9]")
                .containsPattern("bpfmapd_session_bytes_written_total [1-9]")
                .containsPattern("bpfmapd_session_bytes_read_total [1-9]")
                .contains("bpfmapd_sessions_closed_total")
                .contains("bpfmapd_sessions_expired_total")
                .contains("http_server_requests_seconds_count{");
        assertThat(http.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);
    }

    @Test
    void healthShowsTheBackends() {
        Response health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        String self = "$.components.backends.components." + backend().toLowerCase();
        Map<String, Object> mine = health.json(self);
        assertThat(mine).containsEntry("status", "UP");
        assertThat(health.<Boolean>json(self + ".details.available")).isTrue();
        assertThat(health.<String>json(self + ".details.reason")).isNotBlank();
        assertThat(health.<String>json("$.components.backends.components.emulated.status")).isEqualTo("UP");
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    /**
     * GET /maps/{id}/btf: a spin-lock value's types alike on both backends, as JSON and as C; an untyped
     * map is btf-not-found (ENOENT), an unknown format EINVAL.
     */
    @Test
    void aMapsBtf() {
        Response created = http.post("/api/v1/maps", "{\"name\": \"locked\", \"type\": \"ARRAY\", \"valueSize\": 24, "
                + "\"maxEntries\": 4, \"valueHasSpinLock\": true, \"backend\": \"" + backend() + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String locked = created.json("$.id");

        Response json = http.get("/api/v1/maps/" + locked + "/btf");
        assertThat(json.status()).as(json.toString()).isEqualTo(200);
        assertThat(json.<Integer>json("$.keyTypeId")).isEqualTo(1);
        assertThat(json.<Integer>json("$.valueTypeId")).isEqualTo(3);
        assertThat(json.<List<String>>json("$.types[*].kind")).containsExactly("INT", "STRUCT", "STRUCT");
        assertThat(json.<List<String>>json("$.types[?(@.id == 3)].name")).containsExactly("value");
        assertThat(json.<List<Integer>>json("$.types[?(@.id == 3)].size")).containsExactly(24);
        assertThat(json.<List<String>>json("$.types[?(@.id == 3)].members[*].name")).containsExactly("lock");
        assertThat(json.<List<Integer>>json("$.types[?(@.id == 2)].alignment")).containsExactly(4);

        Response c = http.get("/api/v1/maps/" + locked + "/btf?format=c");
        assertThat(c.status()).as(c.toString()).isEqualTo(200);
        assertThat(c.contentType()).startsWith(MediaType.TEXT_PLAIN_VALUE);
        assertThat(c.body()).contains("struct bpf_spin_lock {\n\tint val;\n};\n\n"
                + "struct value {\n\tstruct bpf_spin_lock lock;\n\tlong: 64;\n\tlong: 64;\n};\n");

        String untyped = createMap("untyped", "ARRAY", 8, 4, "[]");
        Response none = http.get("/api/v1/maps/" + untyped + "/btf");
        assertProblem(none, 404, "ENOENT");
        assertThat(none.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:btf-not-found");
        assertProblem(http.get("/api/v1/maps/" + locked + "/btf?format=xml"), 400, "EINVAL");
        assertThat(http.get("/api/v1/maps/nope/btf").<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:map-not-found");
    }

    /**
     * POST /maps with a valueType: the size comes from the type, the BTF is the type's (fields by name), its
     * spin lock a special field; a description that is not one is 400 naming the member's path, the kernel's
     * refusals are its errno, and neither creates anything.
     */
    @Test
    void aTypedMap() {
        String type = """
                {"kind": "struct", "name": "flow", "fields": [
                  {"name": "packets", "type": {"kind": "u64"}},
                  {"name": "lock", "type": {"kind": "bpf_spin_lock"}},
                  {"name": "proto", "type": {"kind": "enum", "name": "proto", "size": 1,
                                             "values": [{"name": "TCP", "value": 6}, {"name": "UDP", "value": 17}]}},
                  {"name": "comm", "type": {"kind": "char", "length": 6}}]}""";
        Response created = http.post("/api/v1/maps", "{\"name\": \"typed\", \"type\": \"ARRAY\", \"maxEntries\": 4, "
                + "\"backend\": \"" + backend() + "\", \"valueType\": " + type + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.<Integer>json("$.valueSize")).isEqualTo(24);
        assertThat(created.<Boolean>json("$.valueHasSpinLock")).isTrue();
        assertThat(created.<Boolean>json("$.typed")).as("the map says it has a BTF value type").isTrue();
        String id = created.json("$.id");
        assertThat(http.get("/api/v1/maps/" + id).<Boolean>json("$.typed")).isTrue();
        Response untyped = http.post("/api/v1/maps", "{\"name\": \"bytes\", \"type\": \"ARRAY\", \"valueSize\": 8, "
                + "\"maxEntries\": 4, \"backend\": \"" + backend() + "\"}");
        assertThat(untyped.<Boolean>json("$.typed")).isFalse();
        assertThat(http.delete("/api/v1/maps/" + untyped.json("$.id")).status()).isEqualTo(204);
        Response btf = http.get("/api/v1/maps/" + id + "/btf");
        int value = btf.<Integer>json("$.valueTypeId");
        assertThat(btf.<List<String>>json("$.types[?(@.id == " + value + ")].members[*].name"))
                .containsExactly("packets", "lock", "proto", "comm");
        assertThat(btf.<List<Integer>>json("$.types[?(@.id == " + value + ")].members[*].bitOffset"))
                .containsExactly(0, 64, 96, 104);
        assertProblem(http.post("/api/v1/maps/" + id + "/freeze", null), 422, "ENOTSUPP");
        List<String> before = http.get("/api/v1/maps").json("$[*].id");

        Response bad = http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"maxEntries\": 4, \"backend\": \"" + backend()
                + "\", \"valueType\": {\"kind\": \"struct\", \"fields\": [{\"name\": \"a\", \"type\": "
                + "{\"kind\": \"u8\", \"length\": 3}}]}}");
        assertProblem(bad, 400, "EINVAL");
        assertThat(bad.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:invalid-request");
        assertThat(bad.<List<String>>json("$.errors")).containsExactly(
                "valueType.fields[0].type.length: applies to array and char only, not u8");
        assertProblem(http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"maxEntries\": 4, \"backend\": \"" + backend()
                + "\", \"valueType\": {\"kind\": \"u128\"}}"), 400, "EINVAL");
        assertProblem(http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"maxEntries\": 4, \"backend\": \"" + backend()
                + "\"}"), 400, "EINVAL");
        assertProblem(http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"maxEntries\": 4, \"valueHasSpinLock\": true, "
                + "\"backend\": \"" + backend() + "\", \"valueType\": " + type + "}"), 400, "EINVAL");
        // The kernel's own refusals, the same on both backends: map_check_btf's size check, BPF_BTF_LOAD's two locks.
        assertThat(http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"maxEntries\": 4, \"valueSize\": 32, \"backend\": \""
                + backend() + "\", \"valueType\": " + type + "}").<String>json("$.errno")).isEqualTo("EINVAL");
        assertThat(http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"maxEntries\": 4, \"backend\": \"" + backend()
                + "\", \"valueType\": {\"kind\": \"struct\", \"fields\": [{\"name\": \"a\", \"type\": "
                + "{\"kind\": \"bpf_spin_lock\"}}, {\"name\": \"b\", \"type\": {\"kind\": \"bpf_spin_lock\"}}]}}")
                .<String>json("$.errno")).isEqualTo("E2BIG");
        assertThat(http.get("/api/v1/maps").<List<String>>json("$[*].id")).isEqualTo(before);
    }

    String createMap(String name, String type, int valueSize, int maxEntries, String flags) {
        Response created = http.post("/api/v1/maps", "{\"name\": \"" + name + "\", \"type\": \"" + type
                + "\", \"valueSize\": " + valueSize + ", \"maxEntries\": " + maxEntries + ", \"flags\": " + flags
                + ", \"backend\": \"" + backend() + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.<String>json("$.backend")).isEqualTo(backend());
        return created.json("$.id");
    }
    @Test
    void aJsonRangeReadIsBoundedByMaxJsonBytes() {
        // 64 KiB values: 16 of them are bpfmapd.api.max-json-bytes (1 MiB by default); the whole map is
        // 4 MiB, which only the octet-stream answer gives, streamed.
        String map = createMap("big", "ARRAY", 65536, 64, "[\"MMAPABLE\"]");

        Response first = http.get("/api/v1/maps/" + map + "/values?format=base64");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.<Integer>json("$.count")).isEqualTo(16);
        assertThat(first.<List<Integer>>json("$.values[*].index")).hasSize(16).startsWith(0).endsWith(15);
        assertThat(http.get("/api/v1/maps/" + map + "/values?from=60").<Integer>json("$.count")).isEqualTo(4);
        assertThat(http.get("/api/v1/maps/" + map + "/values?count=16").<Integer>json("$.count")).isEqualTo(16);
        assertProblem(http.get("/api/v1/maps/" + map + "/values?count=17"), 400, "EINVAL");
        assertThat(http.getBytes("/api/v1/maps/" + map + "/values").bytes()).hasSize(64 * 65536);
    }

    @Test
    void aNumberThatIsNotAnIntegerIsRefusedAndChangesNothing() {
        String map = createMap("numbers", "ARRAY", 8, 4, "[\"MMAPABLE\"]");
        assertThat(http.put("/api/v1/maps/" + map + "/values/0", "{\"i64\": [7]}").status()).isEqualTo(204);

        assertProblem(http.put("/api/v1/maps/" + map + "/values/0", "{\"i64\": [-1.5]}"), 400, "EINVAL");
        assertProblem(http.put("/api/v1/maps/" + map + "/values/0", "{\"u64\": [1e-5]}"), 400, "EINVAL");
        assertProblem(http.put("/api/v1/maps/" + map + "/values/0", "{\"u32\": [\" 12\", 0]}"), 400, "EINVAL");
        assertThat(http.get("/api/v1/maps/" + map + "/values/0?format=i64").body()).isEqualTo("{\"index\":0,\"i64\":[\"7\"]}");

        assertProblem(http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 1.5}"),
                400, "EINVAL");
        assertProblem(http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": \" 12\"}"),
                400, "EINVAL");
        assertThat(http.get("/api/v1/maps").<List<String>>json("$[*].id")).containsExactly(map);

        assertProblem(http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_ONLY\", \"ttlSeconds\": 1.9}"),
                400, "EINVAL");
        assertThat(http.get("/api/v1/sessions").<List<String>>json("$[*].id")).isEmpty();
        String sid = openSession(map, "READ_ONLY");
        assertProblem(http.post("/api/v1/sessions/" + sid + "/renew", "{\"ttlSeconds\": 1.9}"), 400, "EINVAL");
        assertThat(http.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);
    }


    String openSession(String map, String access) {
        Response s = http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"" + access + "\"}");
        assertThat(s.status()).as(s.toString()).isEqualTo(201);
        return s.json("$.id");
    }

    static void assertProblem(Response r, int status, String errno) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(r.<String>json("$.errno")).as(r.toString()).isEqualTo(errno);
        assertThat(r.<String>json("$.type")).startsWith("urn:bpfmapd:problem:");
    }
}
