package io.bpfmapd.e2e;

import static io.bpfmapd.e2e.BpffsRoot.u64;
import static io.bpfmapd.e2e.PinApi.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The node-telemetry path on the real kernel, over HTTP, with bpftool as the eBPF agent: it creates,
 * pins and updates a map; the service imports it, reads it, writes through a session, freezes it, and
 * bpftool sees all of it. Import and pin refuse every path the rules refuse. The service's bpffs root
 * is a fresh directory in /sys/fs/bpf, removed afterwards.
 */
@RequiresKernel
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KernelPinningTest {

    static Path root;
    static Path outside;

    @BeforeAll
    static void bpffs() {
        Bpftool.require();
        root = BpffsRoot.create("e2e_root");
        outside = PinDir.path("e2e_outside");
        Bpftool.run("map", "create", outside.toString(), "type", "array", "key", "4", "value", "8", "entries", "4",
                "name", "outside", "flags", "1024");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        BpffsRoot.remove(root);
        if (outside != null) {
            Files.deleteIfExists(outside);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("bpfmapd.kernel.bpffs-root", () -> root.toString());
        registry.add("bpfmapd.emulated.data-dir", () -> "target/kernel-pins-e2e-data");
    }

    @LocalServerPort
    int port;

    ApiClient http;
    PinApi api;

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
    void anAgentsPinnedMapIsImportedReadWrittenAndFrozen() {
        Path pin = root.resolve("agent_counters");
        Bpftool.run("map", "create", pin.toString(), "type", "array", "key", "4", "value", "8", "entries", "16",
                "name", "agent", "flags", "1024");
        Bpftool.update(pin, 1, u64(42));

        Response imported = api.importMap(pin.toString(), null);

        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        String id = imported.json("$.id");
        assertThat(imported.<String>json("$.backend")).isEqualTo("KERNEL");
        assertThat(imported.<String>json("$.name")).isEqualTo("agent");
        assertThat(imported.<String>json("$.pinnedPath")).isEqualTo(pin.toString());
        assertThat(imported.<Number>json("$.kernelId").longValue()).isEqualTo(Bpftool.mapId(pin));
        assertThat(imported.<Boolean>json("$.mmapable")).isTrue();
        assertThat(api.read(id, 1)).isEqualTo(42);

        Response session = http.post("/api/v1/maps/" + id + "/sessions", "{\"access\": \"READ_WRITE\"}");
        assertThat(session.status()).as(session.toString()).isEqualTo(201);
        String sid = session.json("$.id");
        assertThat(http.put("/api/v1/sessions/" + sid + "/memory?offset=16", "{\"u64\": [4242]}").status()).isEqualTo(204);
        assertThat(u64(Bpftool.lookup(pin, 2))).isEqualTo(4242);
        Bpftool.update(pin, 3, u64(7));
        assertThat(api.read(id, 3)).isEqualTo(7);
        assertThat(http.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);

        assertThat(Bpftool.run("map", "show", "pinned", pin.toString())).doesNotContain("frozen");
        Response frozen = http.post("/api/v1/maps/" + id + "/freeze", null);
        assertThat(frozen.status()).as(frozen.toString()).isEqualTo(200);
        assertThat(frozen.<Boolean>json("$.frozen")).isTrue();
        assertThat(Bpftool.run("map", "show", "pinned", pin.toString())).contains("frozen");

        // Imported, not made by the service: the pin is the agent's and outlives the delete.
        assertThat(http.delete("/api/v1/maps/" + id).status()).isEqualTo(204);
        assertThat(pin).exists();
        assertThat(Bpftool.mapId(pin)).isEqualTo(imported.<Number>json("$.kernelId").longValue());
    }

    @Test
    void importRefusesWhatTheRulesRefuse() throws IOException {
        Path hash = root.resolve("agent_hash");
        Bpftool.run("map", "create", hash.toString(), "type", "hash", "key", "4", "value", "8", "entries", "4",
                "name", "hash");
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Path taken = root.resolve("twice");
        Bpftool.run("map", "create", taken.toString(), "type", "array", "key", "4", "value", "8", "entries", "4",
                "name", "twice");

        assertProblem(api.importMap(outside.toString(), "KERNEL"), 400, "EINVAL");
        assertProblem(api.importMap("/tmp", "KERNEL"), 400, "EINVAL");
        assertProblem(api.importMap(root + "/../" + outside.getFileName(), "KERNEL"), 400, "EINVAL");
        assertProblem(api.importMap("escape", "KERNEL"), 400, "EXDEV");
        assertProblem(api.importMap("agent_hash", "KERNEL"), 400, "EINVAL");
        assertProblem(api.importMap("missing", "KERNEL"), 404, "ENOENT");
        assertThat(http.get("/api/v1/maps").body()).isEqualTo("[]");

        assertThat(api.importMap("twice", "KERNEL").status()).isEqualTo(201);
        assertProblem(api.importMap(taken.toString(), "KERNEL"), 409, "EEXIST");
    }

    @Test
    void aCreatedMapIsPinnedWhereBpftoolSeesItAndDeleteUnpinsIt() {
        String id = api.create("svc", "KERNEL");
        api.write(id, 4, 0xabcdef);

        Response pinned = api.pin(id, "svc_pinned");

        assertThat(pinned.status()).as(pinned.toString()).isEqualTo(200);
        Path pin = root.resolve("svc_pinned");
        assertThat(pinned.<String>json("$.pinnedPath")).isEqualTo(pin.toString());
        assertThat(Bpftool.mapId(pin)).isEqualTo(pinned.<Number>json("$.kernelId").longValue());
        assertThat(u64(Bpftool.lookup(pin, 4))).isEqualTo(0xabcdef);

        assertProblem(api.pin(id, "again"), 409, "EEXIST");
        String other = api.create("other", "KERNEL");
        assertProblem(api.pin(other, "svc_pinned"), 409, "EEXIST");
        assertProblem(api.pin(other, "../x"), 400, "EINVAL");
        assertProblem(api.pin(other, outside + "_x"), 400, "EINVAL");
        assertProblem(api.pin(other, "no_dir/x"), 404, "ENOENT");

        assertThat(http.delete("/api/v1/maps/" + id).status()).isEqualTo(204);
        assertThat(pin).doesNotExist();
    }

    @Test
    void healthShowsTheKernelProbe() {
        Response health = http.get("/actuator/health");

        assertThat(health.<String>json("$.components.backends.components.kernel.status")).isEqualTo("UP");
        assertThat(health.<String>json("$.components.backends.components.kernel.details.reason"))
                .contains("BPF_F_MMAPABLE");
    }
}
