package io.bpfmapd.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.BpfmapdApplication;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * Hostile input against the running service over HTTP: requests made by mutating valid
 * ones (fields dropped, wrong types, negative, huge and unaligned numbers, unknown enum values and
 * fields, malformed JSON, binary bodies of the wrong size, bad ids and query parameters). Each must be
 * answered below 500; a 4xx must be a problem detail and leave every map, session and byte as it was;
 * and the invariants of {@link ApiState#invariantsHold} must hold after every request.
 */
class HostileInputProperties {

    static ConfigurableApplicationContext app;
    static ApiClient api;
    static Path dataDir;
    /** Fixtures: an mmapable array with a READ_WRITE and a READ_ONLY session, a plain array, a per-CPU array. */
    static String mmapable;
    static String plain;
    static String percpu;
    static String rwSession;
    static String roSession;
    static String snapshot;
    static final AtomicInteger requests = new AtomicInteger();
    static final AtomicInteger accepted = new AtomicInteger();

    /** One generated request. */
    record Req(String method, String path, String contentType, byte[] body) {
        @Override
        public String toString() {
            String shown = body == null ? "" : body.length > 200 ? body.length + " bytes" : new String(body, StandardCharsets.UTF_8);
            return method + " " + path + " [" + contentType + "] " + shown;
        }
    }

    @BeforeContainer
    static void start() throws IOException {
        dataDir = Files.createTempDirectory("bpfmapd-fuzz");
        app = new SpringApplicationBuilder(BpfmapdApplication.class).run(
                "--server.port=0", "--spring.main.banner-mode=off", "--bpfmapd.kernel.enabled=false",
                "--bpfmapd.emulated.data-dir=" + dataDir, "--logging.level.bpfmapd.audit=WARN",
                "--logging.level.io.bpfmapd=WARN");
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        api = ApiClient.at(port);
        mmapable = create("""
                {"name": "fz_mmap", "type": "ARRAY", "valueSize": 8, "maxEntries": 1024, "flags": ["MMAPABLE"]}""");
        plain = create("""
                {"name": "fz_plain", "type": "ARRAY", "valueSize": 12, "maxEntries": 8}""");
        percpu = create("""
                {"name": "fz_percpu", "type": "PERCPU_ARRAY", "valueSize": 8, "maxEntries": 4}""");
        rwSession = open(mmapable, "READ_WRITE");
        roSession = open(mmapable, "READ_ONLY");
        assertThat(api.put("/api/v1/maps/" + mmapable + "/values/3", "{\"u64\": [111]}").status()).isEqualTo(204);
        snapshot = snapshot();
    }

    @AfterContainer
    static void stop() throws IOException {
        System.out.printf("hostile input: %d requests, %d accepted (2xx), the rest refused with a 4xx%n",
                requests.get(), accepted.get());
        if (app != null) {
            app.close();
        }
        FileSystemUtils.deleteRecursively(dataDir);
    }

    @Property(tries = 1500, shrinking = ShrinkingMode.OFF)
    void aHostileRequestGetsA4xxProblemAndChangesNothing(@ForAll("hostile") Req req) {
        Response response = api.send(req.method(), req.path(), req.contentType(), req.body(), "application/json");
        requests.incrementAndGet();
        assertThat(response.status()).as("%s -> %s", req, response.body()).isLessThan(500);
        if (response.status() >= 400) {
            assertThat(response.contentType()).as("%s -> %s", req, response.body()).startsWith("application/problem+json");
            assertThat(snapshot()).as("state after %s -> %d %s", req, response.status(), response.body()).isEqualTo(snapshot);
        } else {
            accepted.incrementAndGet();
            undo(req, response);
            snapshot = snapshot();
        }
        invariantsHold();
    }

    /**
     * What a 2xx created is removed again, so that maps and sessions do not pile up, and a fixture's
     * lease renewed for a short time is renewed for long again, so that it does not expire mid-run.
     */
    private static void undo(Req req, Response response) {
        if (req.path().endsWith("/renew")) {
            for (String session : List.of(rwSession, roSession)) {
                assertThat(api.post("/api/v1/sessions/" + session + "/renew", "{\"ttlSeconds\": 3600}").status())
                        .isEqualTo(200);
            }
        }
        if (response.status() != 201) {
            return;
        }
        JsonNode created = response.json();
        String id = created.get("id").asString();
        String path = created.has("mapId") ? "/api/v1/sessions/" + id : "/api/v1/maps/" + id;
        assertThat(api.delete(path).status()).as("undo %s", req).isEqualTo(204);
    }

    private static String snapshot() {
        return ApiState.snapshot(api, List.of(mmapable, plain, percpu));
    }

    private static void invariantsHold() {
        ApiState.invariantsHold(api, mmapable, rwSession);
    }

    // ---- generators ----

    @Provide
    Arbitrary<Req> hostile() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, json("POST", mapIds().map(id -> "/api/v1/maps"), Map.of(
                        "name", "fz_new", "type", "ARRAY", "valueSize", 8, "maxEntries", 4, "flags", List.of("MMAPABLE")))),
                net.jqwik.api.Tuple.of(3, json("PUT", Combinators.combine(mapIds(), indexes())
                        .as((id, i) -> "/api/v1/maps/" + id + "/values/" + i), Map.of("u64", List.of(7), "flags", "ANY"))),
                net.jqwik.api.Tuple.of(3, json("POST", mapIds().map(id -> "/api/v1/maps/" + id + "/sessions"),
                        Map.of("access", "READ_ONLY", "offset", 0, "length", 4096, "ttlSeconds", 60))),
                net.jqwik.api.Tuple.of(2, json("POST", sessionIds().map(id -> "/api/v1/sessions/" + id + "/renew"),
                        Map.of("ttlSeconds", 3600))),
                net.jqwik.api.Tuple.of(3, json("PUT", Combinators.combine(sessionIds(), queryOffsets())
                        .as((id, q) -> "/api/v1/sessions/" + id + "/memory" + q), Map.of("hex", "0102030405060708"))),
                net.jqwik.api.Tuple.of(3, bytesWrite()),
                net.jqwik.api.Tuple.of(2, reads()),
                net.jqwik.api.Tuple.of(1, bogusDestructive()));
    }

    /** A valid JSON body with 1-3 mutations, or made malformed outright. */
    private static Arbitrary<Req> json(String method, Arbitrary<String> paths, Map<String, Object> valid) {
        Arbitrary<byte[]> bodies = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, mutations(valid).list().ofMinSize(1).ofMaxSize(3).map(ms -> {
                    Map<String, Object> body = new LinkedHashMap<>(valid);
                    ms.forEach(m -> m.apply(body));
                    return ApiClient.JSON.writeValueAsBytes(body);
                })),
                net.jqwik.api.Tuple.of(2, malformed(ApiClient.JSON.writeValueAsString(valid))));
        Arbitrary<String> types = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(9, "application/json"),
                net.jqwik.api.Tuple.of(1, "text/plain"),
                net.jqwik.api.Tuple.of(1, "application/octet-stream"));
        return Combinators.combine(paths, types, bodies).as((p, t, b) -> new Req(method, p, t, b));
    }

    /** One change to a body: drop a field, give it a hostile value, or add an unknown one. */
    interface Mutation {
        void apply(Map<String, Object> body);
    }

    private static Arbitrary<Mutation> mutations(Map<String, Object> valid) {
        Arbitrary<String> fields = Arbitraries.of(List.copyOf(valid.keySet()));
        Arbitrary<Mutation> drop = fields.map(f -> b -> b.remove(f));
        Arbitrary<Mutation> set = Combinators.combine(fields, hostileValues()).as((f, v) -> b -> b.put(f, v));
        Arbitrary<Mutation> add = Combinators.combine(Arbitraries.of("extra", "u46", "keySize", "backend",
                        "valueHasSpinLock", "hex", "u8", "access", "offset"), hostileValues())
                .as((f, v) -> b -> b.put(f, v));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, drop), net.jqwik.api.Tuple.of(6, set),
                net.jqwik.api.Tuple.of(2, add));
    }

    /**
     * "KERNEL" is left out: this run has no kernel backend, and a backend that is not available answers
     * 503 backend-unavailable by design (the service cannot do it here; the client did nothing wrong).
     */
    private static Arbitrary<Object> hostileValues() {
        return Arbitraries.oneOf(
                Arbitraries.of("x", "", "ARRAYY", "read_write", "READ_WRITE", "MMAPABLE", "HASH", "NOEXIST", "EXIST",
                        "EMULATED", "zz", "0x10", "-1", "1e9", "\u0000", "é", "a".repeat(5000)),
                Arbitraries.of(true, false, 1.5, -0.0, 1e300),
                Arbitraries.of(0L, -1L, 1L, 7L, 8L, 4095L, 4096L, 4097L, 65536L, 1L << 31, -(1L << 31), (1L << 32) + 8,
                        Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE),
                Arbitraries.of(new BigInteger("18446744073709551616"), new BigInteger("-99999999999999999999999")),
                Arbitraries.longs(),
                Arbitraries.of(List.of(), List.of("NOPE"), List.of("MMAPABLE", "MMAPABLE"), List.of("RDONLY", "WRONLY"),
                        List.of("RDONLY_PROG", "WRONLY_PROG"), List.of("MMAPABLE", "RDONLY_PROG"), List.of(1, 2, 3),
                        List.of(-1), List.of(256), List.of(new BigInteger("18446744073709551616")),
                        java.util.Collections.nCopies(3000, 1)),
                Arbitraries.of(Map.of(), Map.of("a", 1)),
                Arbitraries.just(null),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("0123456789abcdefABCDEFxz").ofMaxLength(40));
    }

    /** Broken JSON: cut short, garbage appended, the wrong shape, random bytes, nothing. */
    private static Arbitrary<byte[]> malformed(String valid) {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, Math.max(0, valid.length() - 1)).map(n -> valid.substring(0, n)),
                Arbitraries.of("}", ",", "]", "{\"a\":", " garbage", "\u0000").map(g -> valid + g),
                Arbitraries.of("null", "[]", "{", "\"str\"", "42", "", "{}", "{\"flags\": \"ANY\"}", "[{}]",
                        "{\"hex\": \"0102\", \"hex\": \"0304\"}", "{\"u64\": [1], \"hex\": \"00\"}"),
                Arbitraries.strings().ofMaxLength(64))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    /** Raw writes through sessions: bodies of every size at every offset. */
    private static Arbitrary<Req> bytesWrite() {
        Arbitrary<byte[]> bodies = Arbitraries.oneOf(
                Arbitraries.of(0, 1, 7, 8, 9, 4095, 4096, 4097, 8192, 8193, 20000).map(byte[]::new),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64));
        return Combinators.combine(sessionIds(), queryOffsets(), bodies)
                .as((id, q, b) -> new Req("PUT", "/api/v1/sessions/" + id + "/memory" + q, "application/octet-stream", b));
    }

    /** Reads must never change anything either. */
    private static Arbitrary<Req> reads() {
        Arbitrary<String> rangeQuery = Combinators.combine(numberish(), numberish(), formats())
                .as((from, count, f) -> "?from=" + from + "&count=" + count + "&format=" + f);
        Arbitrary<String> memoryQuery = Combinators.combine(numberish(), numberish(), formats())
                .as((o, l, f) -> "?offset=" + o + "&length=" + l + "&format=" + f);
        return Arbitraries.oneOf(
                Combinators.combine(mapIds(), rangeQuery).as((id, q) -> new Req("GET", "/api/v1/maps/" + id + "/values" + q, null, null)),
                Combinators.combine(mapIds(), indexes(), formats()).as((id, i, f) ->
                        new Req("GET", "/api/v1/maps/" + id + "/values/" + i + "?format=" + f, null, null)),
                Combinators.combine(sessionIds(), memoryQuery).as((id, q) -> new Req("GET", "/api/v1/sessions/" + id + "/memory" + q, null, null)),
                Arbitraries.of("/api/v1/maps/", "/api/v1/nothing", "/api/v1/maps?x=1", "/api/v1/sessions?mapId=zz")
                        .map(p -> new Req("GET", p, null, null)));
    }

    /** Deletes and freezes of ids that do not exist, and methods that the paths do not take. */
    private static Arbitrary<Req> bogusDestructive() {
        Arbitrary<String> bogus = Arbitraries.oneOf(
                Arbitraries.just(UUID.randomUUID().toString()), Arbitraries.of("0", "-1", "x".repeat(300), "null", "%2e%2e"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10));
        return Combinators.combine(bogus, Arbitraries.of(
                        (Function<String, Req>) id -> new Req("DELETE", "/api/v1/maps/" + id, null, null),
                        id -> new Req("POST", "/api/v1/maps/" + id + "/freeze", null, null),
                        id -> new Req("DELETE", "/api/v1/sessions/" + id, null, null),
                        id -> new Req("PATCH", "/api/v1/maps/" + id, "application/json", "{}".getBytes()),
                        id -> new Req("POST", "/api/v1/sessions", "application/json", "{}".getBytes()),
                        id -> new Req("PUT", "/api/v1/maps/" + id, "application/json", "{}".getBytes())))
                .as((id, make) -> make.apply(id));
    }

    private static Arbitrary<String> mapIds() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("MMAP", "PLAIN", "PERCPU").map(HostileInputProperties::fixture)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("0", "zz", "x".repeat(200), "%20", "..%2F..", "null")),
                net.jqwik.api.Tuple.of(1, Arbitraries.create(() -> UUID.randomUUID().toString())));
    }

    private static Arbitrary<String> sessionIds() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("RW", "RO").map(HostileInputProperties::fixture)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("0", "zz", "x".repeat(200), "%20", "null")),
                net.jqwik.api.Tuple.of(1, Arbitraries.create(() -> UUID.randomUUID().toString())));
    }

    /** Fixture ids are known only once the service runs; resolve them when the request is made. */
    private static String fixture(String name) {
        return switch (name) {
            case "MMAP" -> mmapable;
            case "PLAIN" -> plain;
            case "PERCPU" -> percpu;
            case "RW" -> rwSession;
            default -> roSession;
        };
    }

    private static Arbitrary<String> indexes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 20).map(String::valueOf), numberish());
    }

    private static Arbitrary<String> queryOffsets() {
        return Arbitraries.oneOf(Arbitraries.just(""), numberish().map(n -> "?offset=" + n));
    }

    private static Arbitrary<String> numberish() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "1", "7", "8", "24", "4095", "4096", "8192", "-1", "-4096", "2147483647", "2147483648",
                        "9223372036854775807", "9223372036854775808", "99999999999999999999", "1.5", "abc", "", "0x10",
                        "1e3", "%00"),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(8).map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8)));
    }

    private static Arbitrary<String> formats() {
        return Arbitraries.of("hex", "base64", "u8", "u16", "u32", "u64", "i64", "HEX", "u128", "", "%00", "json");
    }

    // ---- fixtures ----

    private static String create(String json) {
        return ApiState.createMap(api, json);
    }

    private static String open(String map, String access) {
        return ApiState.openSession(api, map, access);
    }

}
