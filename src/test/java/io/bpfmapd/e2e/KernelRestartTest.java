package io.bpfmapd.e2e;

import static io.bpfmapd.e2e.BpffsRoot.u64;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.testing.ApiClient.Response;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On restart the service re-imports the kernel maps it had pinned or imported, under the same ids:
 * the same kernel maps (same kernel id, same bytes, same frozen state), since their pins held them
 * while no process did.
 */
@RequiresKernel
class KernelRestartTest {

    @TempDir
    Path data;

    Path root;

    @BeforeEach
    void bpffs() {
        Bpftool.require();
        root = BpffsRoot.create("restart_root");
    }

    @AfterEach
    void cleanUp() {
        BpffsRoot.remove(root);
    }

    ServiceRun start() {
        return ServiceRun.start("bpfmapd.emulated.data-dir=" + data, "bpfmapd.kernel.bpffs-root=" + root);
    }

    @Test
    void pinnedAndImportedKernelMapsComeBack() {
        Path agentPin = root.resolve("agent");
        Bpftool.run("map", "create", agentPin.toString(), "type", "array", "key", "4", "value", "8", "entries", "16",
                "name", "agent", "flags", "1024");
        Bpftool.update(agentPin, 0, u64(5));
        String created;
        String imported;
        long createdKernelId;
        String unpinned;
        try (ServiceRun run = start()) {
            created = run.api.create("made", "KERNEL");
            run.api.write(created, 9, 123456789);
            Response pinned = run.api.pin(created, "made");
            assertThat(pinned.status()).as(pinned.toString()).isEqualTo(200);
            createdKernelId = pinned.<Number>json("$.kernelId").longValue();

            Response r = run.http.post("/api/v1/maps/import", "{\"path\": \"agent\", \"name\": \"node agent\"}");
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            imported = r.json("$.id");
            assertThat(run.http.post("/api/v1/maps/" + imported + "/freeze", null).status()).isEqualTo(200);

            unpinned = run.api.create("gone", "KERNEL");
        }

        try (ServiceRun run = start()) {
            assertThat(run.http.get("/api/v1/maps").<List<String>>json("$[*].id"))
                    .containsExactlyInAnyOrder(created, imported);

            Response made = run.http.get("/api/v1/maps/" + created);
            assertThat(made.<String>json("$.backend")).isEqualTo("KERNEL");
            assertThat(made.<Number>json("$.kernelId").longValue()).isEqualTo(createdKernelId);
            assertThat(made.<String>json("$.pinnedPath")).isEqualTo(root.resolve("made").toString());
            assertThat(run.api.read(created, 9)).isEqualTo(123456789);

            Response agent = run.http.get("/api/v1/maps/" + imported);
            assertThat(agent.<String>json("$.name")).isEqualTo("node agent");
            assertThat(agent.<Boolean>json("$.frozen")).isTrue();
            assertThat(agent.<Number>json("$.kernelId").longValue()).isEqualTo(Bpftool.mapId(agentPin));
            assertThat(run.api.read(imported, 0)).isEqualTo(5);
            assertThat(run.http.get("/api/v1/maps/" + unpinned).status()).isEqualTo(404);

            assertThat(run.http.delete("/api/v1/maps/" + created).status()).isEqualTo(204);
            assertThat(run.http.delete("/api/v1/maps/" + imported).status()).isEqualTo(204);
        }
        assertThat(root.resolve("made")).doesNotExist();
        assertThat(agentPin).exists();
        assertThat(Bpftool.run("map", "show", "pinned", agentPin.toString())).contains("frozen");
    }

    @Test
    void aKernelPinRemovedWhileTheServiceWasDownIsSkipped() {
        String id;
        try (ServiceRun run = start()) {
            id = run.api.create("brief", "KERNEL");
            assertThat(run.api.pin(id, "brief").status()).isEqualTo(200);
        }
        assertThat(root.resolve("brief").toFile().delete()).isTrue();

        try (ServiceRun run = start()) {
            assertThat(run.http.get("/api/v1/maps").body()).isEqualTo("[]");
            assertThat(run.http.get("/actuator/health").status()).isEqualTo(200);
        }
    }
}
