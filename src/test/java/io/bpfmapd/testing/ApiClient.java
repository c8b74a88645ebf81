package io.bpfmapd.testing;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one HTTP client of the tests that talk to a running service (in this JVM, in a child process or
 * in a container): what any client would see. Never throws on a status; sends the bearer token when it
 * has one; HTTP/1.1, as curl and wrk speak it.
 */
public final class ApiClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String token;

    /** @param token the bearer token of every request, or {@code null} for none */
    public ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** The service on this machine's loopback at {@code port}, without a token. */
    public static ApiClient at(int port) {
        return new ApiClient("http://127.0.0.1:" + port, null);
    }

    /** The same service, as the holder of {@code otherToken}. */
    public ApiClient as(String otherToken) {
        return new ApiClient(baseUrl, otherToken);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A response as received; {@code contentType} is empty when the server sent none. */
    public record Response(int status, String contentType, byte[] bytes, HttpHeaders headers) {

        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return JSON.readTree(bytes);
        }

        /** The value at a JsonPath, e.g. {@code json("$.errno")}. */
        public <T> T json(String path) {
            return JsonPath.read(body(), path);
        }

        public boolean is2xx() {
            return status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body();
        }
    }

    /** Any request; {@code contentType}, {@code body} and {@code accept} may each be {@code null}. */
    public Response send(String method, String pathAndQuery, String contentType, byte[] body, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
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
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + baseUrl + pathAndQuery + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path) {
        return get(path, "application/json");
    }

    public Response get(String path, String accept) {
        return send("GET", path, null, null, accept);
    }

    public Response getBytes(String path) {
        return get(path, "application/octet-stream");
    }

    /** POST of a JSON body ({@code null}: no body). */
    public Response post(String path, String json) {
        return send("POST", path, json == null ? null : "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response put(String path, String json) {
        return send("PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response putBytes(String path, byte[] body) {
        return send("PUT", path, "application/octet-stream", body, "application/json");
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null, "application/json");
    }
}
