package io.bpfmapd.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The life of an emulated map over HTTP, in the hardened container (no capability, read-only root). */
class EmulatedMapLifecycleIT {

    private static BpfmapdContainer container;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        DockerRequirement.require();
        container = new BpfmapdContainer();
        container.start();
        api = container.api();
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.stop();
        }
    }

    @Test
    void createWriteMapFreezeReadDelete() {
        var created = api.post("/api/v1/maps",
                "{\"name\":\"it_life\",\"type\":\"ARRAY\",\"valueSize\":8,\"maxEntries\":16,\"flags\":[\"MMAPABLE\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.json().get("backend").asString()).isEqualTo("EMULATED");
        assertThat(created.json().get("dataSize").asLong()).isEqualTo(4096);

        // the syscall path
        assertThat(api.put("/api/v1/maps/" + id + "/values/3", "{\"u64\":[111]}").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/maps/" + id + "/values/3").json().get("hex").asString()).isEqualTo("6f00000000000000");

        // a writable session writes element 5 through the mapping; lookup sees it
        var session = api.post("/api/v1/maps/" + id + "/sessions", "{\"access\":\"READ_WRITE\",\"ttlSeconds\":60}");
        assertThat(session.status()).as(session.body()).isEqualTo(201);
        String sid = session.json().get("id").asString();
        assertThat(api.put("/api/v1/sessions/" + sid + "/memory?offset=40", "{\"u64\":[42]}").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/maps/" + id + "/values/5?format=u64").json().get("u64").get(0).asLong()).isEqualTo(42);
        assertThat(api.get("/api/v1/sessions/" + sid + "/memory?offset=24&length=8&format=u64").json().get("u64").get(0).asLong())
                .isEqualTo(111);

        // freeze is refused while the writable mapping exists, as the kernel's EBUSY
        var busy = api.post("/api/v1/maps/" + id + "/freeze", "");
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.json().get("errno").asString()).isEqualTo("EBUSY");

        assertThat(api.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);
        var frozen = api.post("/api/v1/maps/" + id + "/freeze", "");
        assertThat(frozen.status()).as(frozen.body()).isEqualTo(200);
        assertThat(frozen.json().get("frozen").asBoolean()).isTrue();

        var refused = api.put("/api/v1/maps/" + id + "/values/3", "{\"u64\":[1]}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("errno").asString()).isEqualTo("EPERM");
        assertThat(api.get("/api/v1/maps/" + id + "/values/5?format=u64").json().get("u64").get(0).asLong()).isEqualTo(42);

        assertThat(api.delete("/api/v1/maps/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/maps/" + id).status()).isEqualTo(404);
    }

    @Test
    void metricsCountWhatHappened() {
        var created = api.post("/api/v1/maps", "{\"type\":\"ARRAY\",\"valueSize\":8,\"maxEntries\":4,\"flags\":[\"MMAPABLE\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(api.get("/actuator/prometheus", "text/plain").body())
                .contains("bpfmapd_maps").contains("http_server_requests_seconds_count");
        assertThat(api.delete("/api/v1/maps/" + created.json().get("id").asString()).status()).isEqualTo(204);
    }
}
