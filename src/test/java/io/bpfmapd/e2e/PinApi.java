package io.bpfmapd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.Http;
import io.bpfmapd.testing.Http.Response;
import org.springframework.http.MediaType;

/** Requests and checks the pinning tests share. */
final class PinApi {

    private final Http http;

    PinApi(Http http) {
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
        return ((Number) r.<java.util.List<Object>>json("$.u64").getFirst()).longValue();
    }

    static void assertProblem(Response r, int status, String errno) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(r.<String>json("$.errno")).as(r.toString()).isEqualTo(errno);
        assertThat(r.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:" + errno.toLowerCase());
    }
}
