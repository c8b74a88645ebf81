package io.bpfmapd.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bpfmapd.testing.TemporaryDataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole service over real HTTP with tokens from a file that changes while it runs. */
@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TemporaryDataDir
class SecurityEndToEndTest {

    static final Path TOKENS_FILE;

    static {
        try {
            TOKENS_FILE = Files.createTempFile("bpfmapd-tokens", ".txt");
            TOKENS_FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void tokens(DynamicPropertyRegistry registry) throws IOException {
        Files.writeString(TOKENS_FILE, "# test tokens\n" + TokenRegistryTest.line("ops", "reader", "first-token") + WRITER_LINE);
        registry.add("bpfmapd.security.tokens-file", TOKENS_FILE::toString);
        registry.add("bpfmapd.limits.max-request-bytes", () -> "64KB");
        registry.add("bpfmapd.security.tokens-file-reload-interval", () -> "100ms");
    }

    static final String WRITER_LINE = TokenRegistryTest.line("bot", "writer", "writer-token")
            + TokenRegistryTest.line("bot2", "writer", "writer2-token") + TokenRegistryTest.line("root", "admin", "admin-token");

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final ListAppender<ILoggingEvent> auditLines = new ListAppender<>();

    @BeforeEach
    void captureAudit() {
        auditLines.start();
        ((Logger) LoggerFactory.getLogger(AuditFilter.LOGGER)).addAppender(auditLines);
    }

    @AfterEach
    void stopCapture() {
        ((Logger) LoggerFactory.getLogger(AuditFilter.LOGGER)).detachAppender(auditLines);
    }

    HttpResponse<String> send(String method, String path, String token) {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void probesAndScrapesNeedNoTokenButOtherActuatorEndpointsDo() {
        assertThat(send("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/prometheus", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/metrics", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/actuator/metrics", "first-token").statusCode()).isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentNeedsNoTokenAndDeclaresTheBearerScheme() {
        var response = send("GET", "/v3/api-docs", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"securitySchemes\":{\"bearer\":{\"type\":\"http\"")
                .contains("\"security\":[{\"bearer\":[]}]");
    }

    @Test
    void theApiWithoutATokenIsA401ProblemOverHttp() {
        var response = send("GET", "/api/v1/maps", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"errno\":\"ENOKEY\"").contains("\"status\":401");
    }

    @Test
    void aRotatedTokensFileTakesEffectWithoutRestart() throws IOException {
        assertThat(send("GET", "/actuator/metrics", "second-token").statusCode()).isEqualTo(401);

        Files.writeString(TOKENS_FILE, TokenRegistryTest.line("ops", "reader", "second-token") + WRITER_LINE);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> send("GET", "/actuator/metrics", "second-token").statusCode() == 200);
        assertThat(send("GET", "/actuator/metrics", "first-token").statusCode()).isEqualTo(401);

        Files.writeString(TOKENS_FILE, TokenRegistryTest.line("ops", "reader", "first-token") + WRITER_LINE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> send("GET", "/actuator/metrics", "first-token").statusCode() == 200);
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413AndOneUnderItGoesThrough() throws Exception {
        var tooLong = chunked(new byte[65 * 1024]);
        assertThat(tooLong.statusCode()).isEqualTo(413);
        assertThat(tooLong.body()).contains("\"limit\":\"bpfmapd.limits.max-request-bytes\"");

        assertThat(chunked(new byte[16]).statusCode()).isNotIn(413, 401, 403, 500);
    }

    private HttpResponse<String> chunked(byte[] body) throws IOException, InterruptedException {
        // An InputStream publisher has no length, so the client sends Transfer-Encoding: chunked.
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/sessions/none/memory"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", "Bearer writer-token")
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMapsLifeWithTokensRolesOwnershipStreamingAndAudit() {
        var created = send("POST", "/api/v1/maps", "admin-token",
                "{\"name\": \"sec\", \"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 4, \"flags\": [\"MMAPABLE\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String map = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        var opened = send("POST", "/api/v1/maps/" + map + "/sessions", "writer-token", "{\"access\": \"READ_WRITE\"}");
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
        assertThat(opened.body()).contains("\"owner\":\"bot\"");
        String session = opened.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");

        assertThat(send("PUT", "/api/v1/sessions/" + session + "/memory", "writer-token", "{\"u64\": [42]}").statusCode())
                .isEqualTo(204);
        var stolen = send("PUT", "/api/v1/sessions/" + session + "/memory", "writer2-token", "{\"u64\": [666]}");
        assertThat(stolen.statusCode()).isEqualTo(403);
        assertThat(stolen.body()).contains("not-session-owner");
        assertThat(send("POST", "/api/v1/maps/" + map + "/freeze", "admin-token").statusCode()).isEqualTo(409);

        // A streamed answer runs an async dispatch, which must still be authenticated.
        var bytes = sendBytes("/api/v1/sessions/" + session + "/memory?length=8", "first-token");
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.body()).startsWith(42, 0, 0, 0, 0, 0, 0, 0);

        assertThat(send("DELETE", "/api/v1/sessions/" + session, "admin-token").statusCode()).isEqualTo(204);
        assertThat(send("POST", "/api/v1/maps/" + map + "/freeze", "admin-token").statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/api/v1/maps/" + map, "admin-token").statusCode()).isEqualTo(204);

        assertThat(auditLines.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(l -> assertThat(l).startsWith("principal=root op=map.create method=POST path=/api/v1/maps map=" + map
                        + " session=- status=201 errno=- "))
                .anySatisfy(l -> assertThat(l).startsWith("principal=bot op=session.open method=POST path=/api/v1/maps/"
                        + map + "/sessions map=" + map + " session=" + session + " status=201"))
                .anySatisfy(l -> assertThat(l).startsWith("principal=bot2 op=session.write ").contains("status=403 errno=EACCES"))
                .anySatisfy(l -> assertThat(l).startsWith("principal=root op=map.freeze ").contains("status=409 errno=EBUSY"))
                .anySatisfy(l -> assertThat(l).startsWith("principal=root op=session.close method=DELETE path=/api/v1/sessions/"
                        + session + " map=" + map + " session=" + session + " status=204"));
    }

    HttpResponse<String> send(String method, String path, String token, String json) {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> sendBytes(String path, String token) {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "application/octet-stream")
                .header("Authorization", "Bearer " + token);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void refusedMutationsAreAuditedWithPrincipalOperationMapAndErrno() {
        auditLines.list.clear();
        assertThat(send("POST", "/api/v1/maps/5/freeze", "first-token").statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/api/v1/maps/6", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/maps/5", "first-token").statusCode()).as("not audited").isNotEqualTo(401);

        assertThat(auditLines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "principal=ops op=map.freeze method=POST path=/api/v1/maps/5/freeze map=5 session=- status=403"
                        + " errno=EACCES ms=" + millis(auditLines.list.get(0)),
                "principal=- op=map.delete method=DELETE path=/api/v1/maps/6 map=- session=- status=401"
                        .replace("map=-", "map=6") + " errno=ENOKEY ms=" + millis(auditLines.list.get(1)));
        assertThat(auditLines.list).allSatisfy(line -> assertThat(line.getFormattedMessage()).doesNotContain("first-token"));
    }

    /** Whichever handler wrote the problem (the controller advice here, not a security one), the audit has its errno. */
    @Test
    void everyAnsweredProblemIsAuditedWithTheErrnoItSent() {
        auditLines.list.clear();
        var missing = send("DELETE", "/api/v1/maps/nope", "admin-token");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"errno\":\"ENOENT\"");
        var invalid = send("POST", "/api/v1/maps", "admin-token");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"errno\":\"EINVAL\"");
        var noSession = send("DELETE", "/api/v1/sessions/nope", "admin-token");
        assertThat(noSession.statusCode()).isEqualTo(404);
        assertThat(noSession.body()).contains("\"errno\":\"ENOENT\"");

        assertThat(auditLines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "principal=root op=map.delete method=DELETE path=/api/v1/maps/nope map=nope session=- status=404"
                        + " errno=ENOENT ms=" + millis(auditLines.list.get(0)),
                "principal=root op=map.create method=POST path=/api/v1/maps map=- session=- status=400"
                        + " errno=EINVAL ms=" + millis(auditLines.list.get(1)),
                "principal=root op=session.close method=DELETE path=/api/v1/sessions/nope map=- session=nope status=404"
                        + " errno=ENOENT ms=" + millis(auditLines.list.get(2)));
    }

    private static String millis(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        return message.substring(message.lastIndexOf("ms=") + 3);
    }
}
