package io.bpfmapd.config;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The requests an AOT cache training run sends to its own port, so that the cache also holds what the
 * first requests load and link (DispatcherServlet, the security filter chain, the actuator health and
 * Prometheus endpoints, Jackson reading and writing the API's records), not only what the context's
 * refresh does. A service trained only up to the refresh answered its first readiness probe about
 * 170 ms slower than its second (docs/decisions/performance.md). Each step must answer its expected status, so
 * that a training run that cannot reach its endpoints fails instead of silently training less.
 */
public final class AotTrainingRequests {

    private static final int TIMEOUT_MILLIS = 10_000;

    private final URI base;
    private final JsonMapper json;

    /** @param base scheme, host and port (and a path prefix, if any), without a trailing slash */
    public AotTrainingRequests(URI base, JsonMapper json) {
        this.base = base;
        this.json = json;
    }

    /**
     * Probes, scrapes, then one emulated map's life: create, write, read, a read-write session that
     * reads through its mapping, close, delete.
     *
     * @return the requests sent, as {@code METHOD path status}, in order
     * @throws IllegalStateException if a step answered another status than expected
     */
    public List<String> run() throws IOException {
        List<String> sent = new ArrayList<>();
        Step step = (method, path, body, expected) -> {
            Response response = send(method, path, body);
            sent.add(method + " " + path + " " + response.status());
            if (response.status() != expected) {
                throw new IllegalStateException("AOT training: " + method + " " + path + " answered "
                        + response.status() + ", expected " + expected + ": " + response.body());
            }
            return response.body();
        };
        step.send("GET", "/actuator/health/readiness", null, 200);
        step.send("GET", "/actuator/health/liveness", null, 200);
        step.send("GET", "/actuator/prometheus", null, 200);
        String map = idOf(step.send("POST", "/api/v1/maps", """
                {"name": "aot_training", "type": "ARRAY", "valueSize": 8, "maxEntries": 4,
                 "backend": "EMULATED", "flags": ["MMAPABLE"]}""", 201));
        String mapPath = "/api/v1/maps/" + map;
        try {
            step.send("GET", "/api/v1/maps", null, 200);
            step.send("PUT", mapPath + "/values/1", "{\"u64\": [42]}", 204);
            step.send("GET", mapPath + "/values/1", null, 200);
            step.send("GET", mapPath + "/values?from=0&count=4", null, 200);
            String session = idOf(step.send("POST", mapPath + "/sessions",
                    "{\"access\": \"READ_WRITE\", \"ttlSeconds\": 60}", 201));
            step.send("GET", "/api/v1/sessions/" + session + "/memory?offset=0&length=16", null, 200);
            step.send("DELETE", "/api/v1/sessions/" + session, null, 204);
        } finally {
            step.send("DELETE", mapPath, null, 204);
        }
        return sent;
    }

    /**
     * One HTTP/1.0 exchange over a plain socket: the server then neither chunks the body nor keeps the
     * connection, so the body is all that follows the headers. Not java.net.http.HttpClient: its
     * classes (about 300) would go into the cache and be loaded by every start of the service, which
     * never uses them.
     */
    private Response send(String method, String path, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            String head = method + " " + base.getRawPath() + path + " HTTP/1.0\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\n")
                    + "Content-Length: " + content.length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.") || headersEnd < 0) {
                throw new IOException("AOT training: no HTTP response to " + method + " " + path);
            }
            // "HTTP/1.1 200 OK" (Jetty) or "HTTP/1.1 200" (Tomcat sent no reason phrase)
            int status = Integer.parseInt(response.substring(9, 12));
            return new Response(status, response.substring(headersEnd + 4));
        }
    }

    private record Response(int status, String body) {
    }

    private String idOf(String body) {
        return json.readTree(body).get("id").asString();
    }

    @FunctionalInterface
    private interface Step {
        String send(String method, String path, String body, int expected) throws IOException;
    }
}
