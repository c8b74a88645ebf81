package io.bpfmapd.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/** ETag and If-None-Match on value and range reads; none on the streamed whole-map read. */
abstract class AbstractConditionalReadTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    ApiClient http;

    /** The backend's name in requests: EMULATED or KERNEL. */
    abstract String backend();

    private String createMap(String flags) {
        return http.post("/api/v1/maps", "{\"backend\": \"" + backend() + "\", \"type\": \"ARRAY\", \"valueSize\": 8, "
                + "\"maxEntries\": 8, \"flags\": " + flags + "}").json("$.id");
    }

    @BeforeEach
    void client() {
        http = ApiClient.at(port);
    }

    @AfterEach
    void deleteMaps() {
        List<String> maps = http.get("/api/v1/maps").json("$[*].id");
        maps.forEach(id -> http.delete("/api/v1/maps/" + id));
    }

    /** A GET with If-None-Match (ApiClient sends no extra headers). */
    private Response conditional(String path, String etag) {
        try {
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
                    .header("Accept", "application/json").header("If-None-Match", etag).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"MMAPABLE\"]", "[]"})
    void valueAndRangeReadsAnswer304WhileUnchanged(String flags) {
        String map = createMap(flags);
        for (String path : List.of("/api/v1/maps/" + map + "/values/2?format=u64",
                "/api/v1/maps/" + map + "/values?from=0&count=4&format=u64")) {
            Response first = http.get(path);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).as(path).matches("\"[0-9a-f]{16}\"");

            Response same = conditional(path, etag);
            assertThat(same.status()).as(path).isEqualTo(304);
            assertThat(same.bytes()).isEmpty();
            assertThat(same.headers().firstValue("ETag")).hasValue(etag);
            assertThat(conditional(path, "\"0000000000000000\", " + etag).status()).as("one of a list").isEqualTo(304);

            assertThat(http.put("/api/v1/maps/" + map + "/values/2", "{\"u64\": [" + path.length() + "]}").status())
                    .isEqualTo(204);
            Response changed = conditional(path, etag);
            assertThat(changed.status()).as(path).isEqualTo(200);
            assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
        }
        // the same bytes in another format are another representation, with another tag
        assertThat(http.get("/api/v1/maps/" + map + "/values/2?format=hex").headers().firstValue("ETag"))
                .isNotEqualTo(http.get("/api/v1/maps/" + map + "/values/2?format=u64").headers().firstValue("ETag"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"MMAPABLE\"]", "[]"})
    void theStreamedWholeMapReadHasNoETag(String flags) {
        String map = createMap(flags);
        Response whole = http.getBytes("/api/v1/maps/" + map + "/values");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.headers().firstValue("ETag")).isEmpty();
    }
}
