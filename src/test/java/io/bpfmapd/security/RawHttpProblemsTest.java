package io.bpfmapd.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests no HTTP client library would send, written byte by byte on a socket to the running service:
 * every refusal, whoever answers it (Spring MVC, the servlet container's error page, Spring Security's
 * firewall, Jetty's parser), is a problem detail with a type of its own (never {@code internal-error}
 * for what is not a bug), every refused mutation leaves one audit line, and a burst of malformed
 * requests leaves no stack trace in the log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RawHttpProblemsTest {

    static final String TOKEN = "Authorization: Bearer admin-token\r\n";

    @DynamicPropertySource
    static void tokens(DynamicPropertyRegistry registry) {
        registry.add("bpfmapd.security.tokens[0].name", () -> "root");
        registry.add("bpfmapd.security.tokens[0].roles", () -> "admin");
        registry.add("bpfmapd.security.tokens[0].sha256", () -> TokenHash.sha256Hex("admin-token"));
    }

    @LocalServerPort
    int port;

    final ListAppender<ILoggingEvent> audit = new ListAppender<>();

    @BeforeEach
    void captureAudit() {
        audit.start();
        ((Logger) LoggerFactory.getLogger(AuditFilter.LOGGER)).addAppender(audit);
    }

    @AfterEach
    void stopCapture() {
        ((Logger) LoggerFactory.getLogger(AuditFilter.LOGGER)).detachAppender(audit);
    }

    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            return JsonMapper.shared().readTree(body);
        }
    }

    static String request(String method, String target, String headers, String body) {
        return method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers + "\r\n" + body;
    }

    static Stream<Arguments> refusals() {
        String json = "Content-Type: application/json\r\n";
        return Stream.of(
                Arguments.of("TRACE on the API", request("TRACE", "/api/v1/maps", TOKEN, ""), 405, "method-not-allowed", "EOPNOTSUPP"),
                Arguments.of("TRACE on the root", request("TRACE", "/", "", ""), 405, "method-not-allowed", "EOPNOTSUPP"),
                Arguments.of("TRACE on health", request("TRACE", "/actuator/health", "", ""), 405, "method-not-allowed", "EOPNOTSUPP"),
                Arguments.of("/error without a token", request("GET", "/error", "", ""), 404, "not-found", "ENOENT"),
                Arguments.of("/error with a token", request("GET", "/error", TOKEN, ""), 404, "not-found", "ENOENT"),
                Arguments.of("PATCH /error", request("PATCH", "/error", TOKEN, ""), 404, "not-found", "ENOENT"),
                // a path is no CONNECT target (RFC 9112 §3.2.3): Jetty's parser refuses the request line
                Arguments.of("CONNECT to a path", request("CONNECT", "/api/v1/maps", TOKEN, ""), 400, "malformed-request", "EINVAL"),
                Arguments.of("CONNECT to an authority", request("CONNECT", "localhost:80", TOKEN, ""), 501, "not-implemented", "EOPNOTSUPP"),
                Arguments.of("a transfer coding Jetty does not decode", request("POST", "/api/v1/maps",
                        TOKEN + json + "Transfer-Encoding: gzip, chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"), 501, "not-implemented", "EOPNOTSUPP"),
                // Jetty's parser refuses a last coding other than chunked (RFC 9112 §6.3: the length cannot be known)
                Arguments.of("an unknown transfer coding", request("POST", "/api/v1/maps", TOKEN + json
                        + "Transfer-Encoding: foo\r\n", ""), 400, "malformed-request", "EINVAL"),
                Arguments.of("a Content-Length that is no number", request("POST", "/api/v1/maps", TOKEN + json
                        + "Content-Length: abc\r\n", ""), 400, "malformed-request", "EINVAL"),
                Arguments.of("two Content-Lengths", request("POST", "/api/v1/maps", TOKEN + json
                        + "Content-Length: 5\r\nContent-Length: 6\r\n", "{}"), 400, "malformed-request", "EINVAL"),
                // Jetty's choices: HTTP/2 over an HTTP/1.1 connection asks for an upgrade, an unknown
                // protocol is a version it does not support, and a header too large is 431 (RFC 6585)
                Arguments.of("HTTP/2.0 in the request line", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 426,
                        "malformed-request", "EINVAL"),
                Arguments.of("a protocol that is not HTTP", "GET / FOO/1.1\r\nHost: x\r\n\r\n", 505,
                        "http-version-not-supported", "EOPNOTSUPP"),
                Arguments.of("a header of 20 KB", request("GET", "/api/v1/maps", TOKEN + "X-Big: " + "a".repeat(20_000) + "\r\n", ""),
                        431, "malformed-request", "E2BIG"),
                Arguments.of("an absolute URI for another host", request("GET", "http://elsewhere/api/v1/maps", TOKEN, ""),
                        400, "malformed-request", "EINVAL"),
                Arguments.of("no Host header", "GET /api/v1/maps HTTP/1.1\r\nConnection: close\r\n" + TOKEN + "\r\n", 400,
                        "malformed-request", "EINVAL"),
                Arguments.of("a TLS handshake", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n", 400,
                        "malformed-request", "EINVAL"),
                Arguments.of("an encoded NUL", request("GET", "/api/v1/maps/%00", TOKEN, ""), 400, "malformed-request", "EINVAL"),
                Arguments.of("a bad path escape", request("GET", "/api/v1/maps/%zz", TOKEN, ""), 400, "malformed-request", "EINVAL"),
                Arguments.of("actuator without a token", request("GET", "/actuator/env", "", ""), 401, "unauthenticated", "ENOKEY"),
                Arguments.of("an unknown actuator endpoint", request("GET", "/actuator/nope", TOKEN, ""), 404, "not-found", "ENOENT"),
                Arguments.of("an unknown path", request("GET", "/nope", TOKEN, ""), 404, "not-found", "ENOENT"),
                Arguments.of("an unknown method", request("PROPFIND", "/api/v1/maps", TOKEN, ""), 400, "malformed-request", "EINVAL"),
                Arguments.of("PATCH on the API", request("PATCH", "/api/v1/maps", TOKEN, ""), 405, "method-not-allowed", "EOPNOTSUPP"),
                Arguments.of("HTML asked for", request("GET", "/api/v1/maps/nope", TOKEN + "Accept: text/html\r\n", ""),
                        406, "not-acceptable", "EINVAL"),
                Arguments.of("an Expect Tomcat does not know", request("POST", "/api/v1/maps", TOKEN + json
                        + "Expect: foo\r\nContent-Length: 2\r\n", "{}"), 417, "malformed-request", "EINVAL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void everyRefusalIsAProblemDetailOfItsOwnType(String what, String raw, int status, String type, String errno)
            throws IOException {
        Answer answer = send(raw);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.contentType()).as(answer.toString()).startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.get("type").asString()).isEqualTo("urn:bpfmapd:problem:" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(problem.get("errno").asString()).isEqualTo(errno);
    }

    /** HTTP/0.9 has no version in its request line; Jetty refuses it as a version it does not support, in HTTP/1.1. */
    @Test
    void anHttp09RequestGetsAProblemBody() throws IOException {
        Answer answer = send("GET /api/v1/maps\r\n");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(505);
        assertThat(answer.json().get("type").asString()).isEqualTo("urn:bpfmapd:problem:http-version-not-supported");
    }

    @Test
    void headOnTheErrorPathIsA404WithoutABody() throws IOException {
        Answer answer = send(request("HEAD", "/error", "", ""));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).isEmpty();
    }

    /**
     * Refused by the firewall, which runs before any filter, or by Jetty, before any servlet: still audited,
     * once. Not a request line Jetty's parser refuses as a whole (a bad path escape): Jetty keeps no method
     * for it (its error handler sees "BAD"), so it is refused like any malformed request, unaudited.
     */
    @Test
    void mutationsRefusedBeforeTheChainRunsAreAuditedOnce() throws Exception {
        audit.list.clear();
        String json = "Content-Type: application/json\r\nContent-Length: 2\r\n";
        assertThat(send(request("POST", "/api/v1//maps", TOKEN + json, "{}")).status()).isEqualTo(400);
        assertThat(send(request("DELETE", "/api/v1/maps/a;b", TOKEN, "")).status()).isEqualTo(400);
        assertThat(send(request("POST", "/api/v1/maps/%2e%2e/x", TOKEN + json, "{}")).status()).isEqualTo(400);
        assertThat(send(request("DELETE", "/api/v1/maps/a%0ab", TOKEN, "")).status()).isEqualTo(400);
        assertThat(send(request("POST", "/api/v1/maps", TOKEN + "Transfer-Encoding: gzip, chunked\r\n",
                "2\r\n{}\r\n0\r\n\r\n")).status()).isEqualTo(501);
        assertThat(send(request("DELETE", "/api/v1/maps/%zz", TOKEN, "")).status()).isEqualTo(400);

        await().atMost(Duration.ofSeconds(5)).until(() -> audit.list.size() >= 5);
        Thread.sleep(200); // a sixth line, if any, is written by now
        assertThat(audit.list).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactlyInAnyOrder(
                l -> assertThat(l).startsWith("principal=- op=other method=POST path=/api/v1//maps ")
                        .contains(" status=400 errno=EINVAL "),
                l -> assertThat(l).startsWith("principal=- op=map.delete method=DELETE path=\"/api/v1/maps/a;b\" ")
                        .contains(" status=400 errno=EINVAL "),
                l -> assertThat(l).startsWith("principal=- op=other method=POST path=\"/api/v1/maps/%2e%2e/x\" ")
                        .contains(" status=400 errno=EINVAL "),
                l -> assertThat(l).startsWith("principal=- op=map.delete method=DELETE path=\"/api/v1/maps/a%0ab\" ")
                        .contains(" status=400 errno=EINVAL "),
                l -> assertThat(l).startsWith("principal=- op=map.create method=POST path=/api/v1/maps ")
                        .contains(" status=501 errno=EOPNOTSUPP "));
    }

    /**
     * Tomcat logged the first parse error of each request processor at INFO with a stack trace (800 for
     * 1,200 requests under a burst); Jetty must log none at INFO or above either.
     */
    @Test
    void aBurstOfMalformedRequestLinesLeavesNoStackTraceInTheLog() throws Exception {
        Logger parser = (Logger) LoggerFactory.getLogger("org.eclipse.jetty");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        parser.addAppender(lines);
        try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                Callable<Answer> bad = () -> send("G\u0001T /" + n + " HTTP/1.1\r\nHost: x\r\n\r\n");
                answers.add(clients.submit(bad));
            }
            for (Future<Answer> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(400);
            }
        } finally {
            parser.detachAppender(lines);
        }
        assertThat(lines.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).isEmpty();
    }

    private Answer send(String raw) throws IOException {
        String response = exchange(raw);
        int headEnd = response.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? response : response.substring(0, headEnd);
        String body = headEnd < 0 ? "" : response.substring(headEnd + 4);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String contentType = "";
        boolean chunked = false;
        for (String line : lines) {
            String lower = line.toLowerCase();
            if (lower.startsWith("content-type:")) {
                contentType = line.substring(13).strip();
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        return new Answer(status, contentType, chunked ? dechunk(body) : body);
    }

    private String exchange(String raw) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            try {
                in.transferTo(received);
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // the server keeps or resets the connection after its answer; what arrived is the answer
            }
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int lineEnd = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, lineEnd).strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
