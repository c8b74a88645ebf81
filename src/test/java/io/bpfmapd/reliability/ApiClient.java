package io.bpfmapd.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client of the running service, for black-box tests: what any client would see. */
public final class ApiClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    public record Response(int status, String contentType, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public boolean is2xx() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http;
    private final String base;
    private final String token;

    public ApiClient(HttpClient http, int port, String token) {
        this.http = http;
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    public static HttpClient newHttp() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public ApiClient as(String otherToken) {
        return new ApiClient(http, Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherToken);
    }

    public Response send(String method, String pathAndQuery, String contentType, byte[] body, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + pathAndQuery + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path) {
        return send("GET", path, null, null, "application/json");
    }

    public Response getBytes(String path) {
        return send("GET", path, null, null, "application/octet-stream");
    }

    public Response postJson(String path, String json) {
        return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response putJson(String path, String json) {
        return send("PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null, "application/json");
    }
}
