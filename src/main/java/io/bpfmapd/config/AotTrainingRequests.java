package io.bpfmapd.config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The requests an AOT cache training run sends to its own port, so that the cache also holds what the
 * first requests load and link (DispatcherServlet, the security filter chain, the actuator health and
 * Prometheus endpoints, Jackson reading and writing the API's records), not only what the context's
 * refresh does. A service trained only up to the refresh answered its first readiness probe about
 * 170 ms slower than its second (README, performance). Each step must answer its expected status, so
 * that a training run that cannot reach its endpoints fails instead of silently training less.
 */
public final class AotTrainingRequests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

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
    public List<String> run() throws IOException, InterruptedException {
        List<String> sent = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            Step step = (method, path, body, expected) -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
                request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                        : request.header("Content-Type", "application/json")
                                .method(method, HttpRequest.BodyPublishers.ofString(body));
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                sent.add(method + " " + path + " " + response.statusCode());
                if (response.statusCode() != expected) {
                    throw new IllegalStateException("AOT training: " + method + " " + path + " answered "
                            + response.statusCode() + ", expected " + expected + ": " + response.body());
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
        }
        return sent;
    }

    private String idOf(String body) {
        return json.readTree(body).get("id").asString();
    }

    @FunctionalInterface
    private interface Step {
        String send(String method, String path, String body, int expected) throws IOException, InterruptedException;
    }
}
