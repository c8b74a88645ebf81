package io.bpfmapd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import java.util.List;
import org.springframework.http.MediaType;

/** Requests and checks the pinning tests share. */
final class PinApi {

    private final ApiClient http;

    PinApi(ApiClient http) {
        this.http = http;
    }

    /** An MMAPABLE array of 16 u64 on {@code backend}; returns its id. */
    String create(String name, String backend) {
        Response created = http.post("/api/v1/maps", "{\"name\": \"" + name + "\", \"type\": \"ARRAY\", \"valueSize\": 8, "
                + "\"maxEntries\": 16, \"flags\": [\"MMAPABLE\"], \"backend\": \"" + backend + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json("$.id");
    }

    Response pin(String id, String path) {
        return http.post("/api/v1/maps/" + id + "/pin", "{\"path\": \"" + path + "\"}");
    }

    Response importMap(String path, String backend) {
        return http.post("/api/v1/maps/import", "{\"path\": \"" + path + "\""
                + (backend == null ? "" : ", \"backend\": \"" + backend + "\"") + "}");
    }

    void write(String id, int index, long value) {
        Response r = http.put("/api/v1/maps/" + id + "/values/" + index, "{\"u64\": [" + value + "]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
    }

    long read(String id, int index) {
        Response r = http.get("/api/v1/maps/" + id + "/values/" + index + "?format=u64");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return Long.parseLong(r.<List<String>>json("$.u64").getFirst());
    }

    /** Closes every session, then deletes every map: each test starts from an empty service. */
    void deleteEverything() {
        http.get("/api/v1/sessions").<List<String>>json("$[*].id")
                .forEach(s -> http.delete("/api/v1/sessions/" + s));
        http.get("/api/v1/maps").<List<String>>json("$[*].id")
                .forEach(id -> assertThat(http.delete("/api/v1/maps/" + id).status()).isEqualTo(204));
    }

    static void assertProblem(Response r, int status, String errno) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(r.<String>json("$.errno")).as(r.toString()).isEqualTo(errno);
        assertThat(r.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:" + errno.toLowerCase());
    }
}
