package io.bpfmapd.aot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfmapd.security.TokenHash;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import io.bpfmapd.testing.Requirement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar in Spring AOT mode, with the image's JVM options ({@link ImageJvm}). With AOT the
 * bean definitions and the conditions deciding them are fixed when the jar is built, so besides a map's
 * round trip this checks the settings an operator gives at run time that decide which beans act:
 * {@code bpfmapd.kernel.enabled=false}, a tokens file (and its reload), and {@code bpfmapd.aot-training}.
 * A jar built by Maven on a JDK older than 25 has no AOT code: that fails here in CI and skips elsewhere.
 */
class AotModeIT {

    static final String FIRST_TOKEN = "aot-it-first-token";
    static final String SECOND_TOKEN = "aot-it-second-token";

    @TempDir
    static Path dir;

    static ImageJvm service;
    static Path tokensFile;
    static ApiClient api;

    @BeforeAll
    static void start() throws IOException {
        requireAotCode();
        tokensFile = Files.writeString(dir.resolve("tokens"), tokenLine("ops", FIRST_TOKEN));
        service = ImageJvm.start(dir, "service", List.of(), List.of("--bpfmapd.kernel.enabled=false",
                "--bpfmapd.security.tokens-file=" + tokensFile,
                "--bpfmapd.security.tokens-file-reload-interval=200ms"));
        api = ApiClient.at(service.awaitPort(Duration.ofSeconds(90)));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void startsFromTheGeneratedContextAndBecomesReady() {
        // Spring's StartupInfoLogger says "AOT-processed" only when it runs the generated initializer.
        assertThat(service.logText()).contains("Starting AOT-processed BpfmapdApplication");
        Response readiness = send("GET", "/actuator/health/readiness", null, null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.<String>json("$.status")).isEqualTo("UP");
    }

    @Test
    void anEmulatedMapIsCreatedWrittenReadAndDeleted() {
        Response created = send("POST", "/api/v1/maps", """
                {"name": "aot_it", "type": "ARRAY", "valueSize": 8, "maxEntries": 4, "backend": "EMULATED",
                 "flags": ["MMAPABLE"]}""", FIRST_TOKEN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String map = "/api/v1/maps/" + created.<String>json("$.id");

        assertThat(send("PUT", map + "/values/2", "{\"u64\": [4242]}", FIRST_TOKEN).status()).isEqualTo(204);
        Response read = send("GET", map + "/values/2?format=u64", null, FIRST_TOKEN);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.<List<String>>json("$.u64")).containsExactly("4242");
        assertThat(send("DELETE", map, null, FIRST_TOKEN).status()).isEqualTo(204);
    }

    @Test
    void servesTheOpenApiDocument() {
        Response docs = send("GET", "/v3/api-docs", null, null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.<String>json("$.openapi")).startsWith("3.");
        assertThat(docs.<Object>json("$.paths['/api/v1/maps']")).isNotNull();
    }

    @Test
    void theKernelBackendDisabledAtRunTimeAnswers503() {
        Response refused = send("POST", "/api/v1/maps",
                "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 4, \"backend\": \"KERNEL\"}", FIRST_TOKEN);
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:backend-unavailable");
        assertThat(refused.<String>json("$.detail")).contains("disabled by bpfmapd.kernel.enabled=false");
        Response health = send("GET", "/actuator/health", null, null);
        assertThat(health.<String>json("$.components.backends.components.kernel.status")).isEqualTo("UNKNOWN");
    }

    @Test
    void theTokensFileIsRequiredAndReloadedWhileRunning() throws IOException {
        assertThat(send("GET", "/api/v1/maps", null, null).status()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/maps", null, FIRST_TOKEN).status()).isEqualTo(200);

        // The reload is the watcher bean's work: without it the second token would never count.
        Files.writeString(tokensFile, tokenLine("ops", SECOND_TOKEN));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(send("GET", "/api/v1/maps", null, SECOND_TOKEN).status()).isEqualTo(200));
        assertThat(send("GET", "/api/v1/maps", null, FIRST_TOKEN).status()).isEqualTo(401);
        Files.writeString(tokensFile, tokenLine("ops", FIRST_TOKEN));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(send("GET", "/api/v1/maps", null, FIRST_TOKEN).status()).isEqualTo(200));
    }

    @Test
    void aTrainingRunServesItselfThenExitsWithZero() throws Exception {
        // As the Dockerfile trains the JDK AOT cache, less the cache itself.
        try (ImageJvm training = ImageJvm.start(dir, "training", List.of("-Dbpfmapd.aot-training=true"), List.of())) {
            assertThat(training.awaitExit(Duration.ofSeconds(90))).as(training.tail()).isZero();
            assertThat(training.logText()).contains("Starting AOT-processed BpfmapdApplication")
                    .containsPattern("AOT training: \\d+ requests sent to http://127\\.0\\.0\\.1:\\d+");
        }
    }

    private static void requireAotCode() {
        Path jar = ImageJvm.jar();
        Requirement.require("Spring AOT code", ImageJvm.hasAotCode(jar), jar + " has no " + ImageJvm.AOT_INITIALIZER
                + ": Maven ran on a JDK older than 25; build with ./mvnw, which runs it on a JDK 25 where one is installed");
    }

    private static String tokenLine(String name, String token) {
        return name + ":admin:" + TokenHash.sha256Hex(token) + "\n";
    }

    private static Response send(String method, String path, String json, String token) {
        try {
            return api.as(token).send(method, path, json == null ? null : "application/json",
                    json == null ? null : json.getBytes(StandardCharsets.UTF_8), null);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; service log: " + service.tail(), e);
        }
    }
}
