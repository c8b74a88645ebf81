package io.bpfmapd.testing;

import com.jayway.jsonpath.JsonPath;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/** A plain HTTP client for end-to-end tests: never throws on a status, returns what the server said. */
public final class Http {

    private final RestClient client;

    public Http(int port) {
        this.client = RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }

    public record Response(int status, MediaType contentType, byte[] bytes, HttpHeaders headers) {

        public String body() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }

        public <T> T json(String path) {
            return JsonPath.read(body(), path);
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body();
        }
    }

    public Response get(String path) {
        return exchange(HttpMethod.GET, path, null, null, MediaType.APPLICATION_JSON);
    }

    public Response getBytes(String path) {
        return exchange(HttpMethod.GET, path, null, null, MediaType.APPLICATION_OCTET_STREAM);
    }

    public Response post(String path, String json) {
        return exchange(HttpMethod.POST, path, json == null ? null : json.getBytes(), MediaType.APPLICATION_JSON,
                MediaType.APPLICATION_JSON);
    }

    public Response put(String path, String json) {
        return exchange(HttpMethod.PUT, path, json.getBytes(), MediaType.APPLICATION_JSON, MediaType.APPLICATION_JSON);
    }

    public Response putBytes(String path, byte[] body) {
        return exchange(HttpMethod.PUT, path, body, MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON);
    }

    public Response delete(String path) {
        return exchange(HttpMethod.DELETE, path, null, null, MediaType.APPLICATION_JSON);
    }

    public Response exchange(HttpMethod method, String path, byte[] body, MediaType contentType, MediaType accept) {
        RestClient.RequestBodySpec spec = client.method(method).uri(path).accept(accept);
        if (body != null) {
            spec.contentType(contentType).body(body);
        }
        return spec.exchange((request, response) -> {
            byte[] bytes = response.getBody().readAllBytes();
            return new Response(response.getStatusCode().value(), response.getHeaders().getContentType(), bytes,
                    response.getHeaders());
        });
    }
}
