package io.bpfmapd.e2e;

import static io.bpfmapd.e2e.PinApi.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Pin and import over HTTP, the same for every backend (a subclass per backend names it and plays the
 * agent beside the service: bpftool on the kernel's bpffs, the backend itself on the emulated pin
 * directory). What the service pins the agent sees; what the agent pins the service imports, reads,
 * writes and freezes; DELETE removes the service's own pin only; every refused path is a problem
 * detail with its errno. After each test the service holds no map and no session.
 */
abstract class AbstractPinningTest {

    @LocalServerPort
    int port;

    ApiClient http;
    PinApi api;

    /** The backend's name in requests: EMULATED or KERNEL. */
    abstract String backend();

    /** The service's pin root for this backend (a real path: no symlink in it). */
    abstract Path pinRoot() throws IOException;

    /** The agent creates an MMAPABLE array of 16 u64 named {@code name} and pins it at {@code pin}. */
    abstract void agentCreates(Path pin, String name);

    /** The agent pins at {@code pin} something that is not an array map this backend can import. */
    abstract void agentCreatesNonArray(Path pin) throws IOException;

    /** An existing map (or map-like file) outside the pin root, directly in the root's parent. */
    abstract Path outsideMap() throws IOException;

    abstract void agentWrites(Path pin, int index, long value);

    abstract long agentReads(Path pin, int index);

    /** The map's id as the agent sees it (the kernel: {@code bpf_map_info.id}). */
    abstract long agentMapId(Path pin);

    abstract boolean agentSeesFrozen(Path pin);

    @BeforeEach
    void client() {
        http = ApiClient.at(port);
        api = new PinApi(http);
    }

    @AfterEach
    void deleteEverything() {
        api.deleteEverything();
    }

    @Test
    void aCreatedMapIsPinnedWhereTheAgentSeesItAndDeleteUnpinsIt() throws IOException {
        String id = api.create("svc", backend());
        api.write(id, 4, 0xabcdef);

        Response pinned = api.pin(id, "svc_pinned");

        assertThat(pinned.status()).as(pinned.toString()).isEqualTo(200);
        Path pin = pinRoot().resolve("svc_pinned");
        assertThat(pinned.<String>json("$.pinnedPath")).isEqualTo(pin.toString());
        assertThat(http.get("/api/v1/maps/" + id).<String>json("$.pinnedPath")).isEqualTo(pin.toString());
        assertThat(agentMapId(pin)).isEqualTo(pinned.<Number>json("$.kernelId").longValue());
        assertThat(agentReads(pin, 4)).isEqualTo(0xabcdef);

        assertProblem(api.pin(id, "again"), 409, "EEXIST");
        String other = api.create("other", backend());
        assertProblem(api.pin(other, "svc_pinned"), 409, "EEXIST");
        assertProblem(api.pin(other, "../x"), 400, "EINVAL");
        assertProblem(api.pin(other, "/tmp/x"), 400, "EINVAL");
        assertProblem(api.pin(other, "no_dir/x"), 404, "ENOENT");

        assertThat(http.delete("/api/v1/maps/" + id).status()).isEqualTo(204);
        assertThat(pin).doesNotExist();
    }

    @Test
    void anAgentsPinnedMapIsImportedReadWrittenAndFrozenAndDeleteLeavesItsPin() throws IOException {
        Path pin = pinRoot().resolve("agent_counters");
        agentCreates(pin, "agent");
        agentWrites(pin, 1, 42);

        Response imported = api.importMap("agent_counters", backend());

        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        String id = imported.json("$.id");
        assertThat(imported.headers().firstValue("Location")).hasValue("/api/v1/maps/" + id);
        assertThat(imported.<String>json("$.backend")).isEqualTo(backend());
        assertThat(imported.<String>json("$.name")).isEqualTo("agent");
        assertThat(imported.<String>json("$.pinnedPath")).isEqualTo(pin.toString());
        assertThat(imported.<Number>json("$.kernelId").longValue()).isEqualTo(agentMapId(pin));
        assertThat(imported.<Boolean>json("$.mmapable")).isTrue();
        assertThat(api.read(id, 1)).isEqualTo(42);

        Response session = http.post("/api/v1/maps/" + id + "/sessions", "{\"access\": \"READ_WRITE\"}");
        assertThat(session.status()).as(session.toString()).isEqualTo(201);
        String sid = session.json("$.id");
        assertThat(http.put("/api/v1/sessions/" + sid + "/memory?offset=16", "{\"u64\": [4242]}").status()).isEqualTo(204);
        assertThat(agentReads(pin, 2)).isEqualTo(4242);
        agentWrites(pin, 3, 7);
        assertThat(api.read(id, 3)).isEqualTo(7);
        assertThat(http.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);

        // One map, one handle in the service: the same pin, by any spelling, and a second pin are refused.
        assertProblem(api.importMap(pin.toString(), backend()), 409, "EEXIST");
        assertProblem(api.pin(id, "second"), 409, "EEXIST");

        assertThat(agentSeesFrozen(pin)).isFalse();
        Response frozen = http.post("/api/v1/maps/" + id + "/freeze", null);
        assertThat(frozen.status()).as(frozen.toString()).isEqualTo(200);
        assertThat(frozen.<Boolean>json("$.frozen")).isTrue();
        assertThat(agentSeesFrozen(pin)).isTrue();

        // Imported, not made by the service: the pin is the agent's, and it keeps the map and its bytes.
        assertThat(http.delete("/api/v1/maps/" + id).status()).isEqualTo(204);
        assertThat(pin).exists();
        assertThat(agentMapId(pin)).isEqualTo(imported.<Number>json("$.kernelId").longValue());
        Response again = api.importMap("agent_counters", backend());
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(api.read(again.json("$.id"), 2)).isEqualTo(4242);
    }

    @Test
    void importRefusesWhatTheRulesRefuse() throws IOException {
        Path root = pinRoot();
        Path outside = outsideMap();
        Path escape = Files.createSymbolicLink(root.resolve("escape"), outside);
        Path notAnArray = root.resolve("not_an_array");
        agentCreatesNonArray(notAnArray);
        try {
            assertProblem(api.importMap(outside.toString(), backend()), 400, "EINVAL");
            assertProblem(api.importMap("/tmp", backend()), 400, "EINVAL");
            assertProblem(api.importMap(root + "/../" + outside.getFileName(), backend()), 400, "EINVAL");
            assertProblem(api.importMap("../" + outside.getFileName(), backend()), 400, "EINVAL");
            assertProblem(api.importMap("escape", backend()), 400, "EXDEV");
            assertProblem(api.importMap("not_an_array", backend()), 400, "EINVAL");
            assertProblem(api.importMap("missing", backend()), 404, "ENOENT");
            assertThat(http.get("/api/v1/maps").body()).isEqualTo("[]");
        } finally {
            Files.deleteIfExists(escape);
            Files.deleteIfExists(notAnArray);
        }
    }
}
