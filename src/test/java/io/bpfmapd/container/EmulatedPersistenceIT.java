package io.bpfmapd.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * A pinned emulated map outlives its container: the data dir is a named volume, a second container
 * on the same volume brings the map back under the same id with its bytes and its frozen state,
 * after a graceful stop and after a SIGKILL alike.
 */
class EmulatedPersistenceIT {

    private final String volume = "bpfmapd-it-data-" + System.nanoTime();

    @BeforeAll
    static void docker() {
        DockerRequirement.require();
    }

    @AfterEach
    void removeVolume() {
        try {
            DockerClientFactory.lazyClient().removeVolumeCmd(volume).exec();
        } catch (RuntimeException notThere) {
            // the test failed before creating it
        }
    }

    @Test
    void aPinnedMapComesBackAfterAGracefulStop() {
        String id;
        try (var first = onVolume()) {
            first.start();
            id = createPinnedFrozenMap(first.api());
            first.stop();
        }
        try (var second = onVolume()) {
            second.start();
            assertBroughtBack(second.api(), id);
        }
    }

    @Test
    void aPinnedMapComesBackAfterSigkill() {
        String id;
        try (var first = onVolume()) {
            first.start();
            id = createPinnedFrozenMap(first.api());
            DockerClientFactory.lazyClient().killContainerCmd(first.getContainerId()).withSignal("KILL").exec();
        }
        try (var second = onVolume()) {
            second.start();
            assertBroughtBack(second.api(), id);
        }
    }

    private BpfmapdContainer onVolume() {
        return new BpfmapdContainer().withCreateContainerCmdModifier(cmd -> {
            // added to the tokens file's bind, not in place of it
            var binds = new java.util.ArrayList<>(java.util.List.of(cmd.getHostConfig().getBinds()));
            binds.add(new Bind(volume, new Volume("/var/lib/bpfmapd")));
            cmd.getHostConfig().withBinds(binds);
        });
    }

    private static String createPinnedFrozenMap(ApiClient api) {
        var created = api.post("/api/v1/maps",
                "{\"name\":\"it_kept\",\"type\":\"ARRAY\",\"valueSize\":8,\"maxEntries\":16,\"flags\":[\"MMAPABLE\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(api.put("/api/v1/maps/" + id + "/values/7", "{\"u64\":[4242]}").status()).isEqualTo(204);
        var pinned = api.post("/api/v1/maps/" + id + "/pin", "{\"path\":\"it_kept\"}");
        assertThat(pinned.status()).as(pinned.body()).isEqualTo(200);
        assertThat(pinned.json().get("pinnedPath").asString()).endsWith("/pins/it_kept");
        // written through a session after the pin: the mapping shares the pinned file's pages
        var session = api.post("/api/v1/maps/" + id + "/sessions", "{\"access\":\"READ_WRITE\",\"ttlSeconds\":60}");
        String sid = session.json().get("id").asString();
        assertThat(api.put("/api/v1/sessions/" + sid + "/memory?offset=8", "{\"u64\":[99]}").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);
        assertThat(api.post("/api/v1/maps/" + id + "/freeze", "").status()).isEqualTo(200);
        return id;
    }

    private static void assertBroughtBack(ApiClient api, String id) {
        var map = api.get("/api/v1/maps/" + id);
        assertThat(map.status()).as(map.body()).isEqualTo(200);
        assertThat(map.json().get("name").asString()).isEqualTo("it_kept");
        assertThat(map.json().get("frozen").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/maps/" + id + "/values/7?format=u64").json().get("u64").get(0).asLong()).isEqualTo(4242);
        assertThat(api.get("/api/v1/maps/" + id + "/values/1?format=u64").json().get("u64").get(0).asLong()).isEqualTo(99);
        var refused = api.put("/api/v1/maps/" + id + "/values/7", "{\"u64\":[1]}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("errno").asString()).isEqualTo("EPERM");
    }
}
