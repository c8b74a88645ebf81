package io.bpfmapd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart, the same for every backend (a subclass per backend names it and plays the agent while the
 * service is down): maps the service pinned or imported come back under the same ids with their names,
 * bytes and frozen state, since their pins held them while no process did; unpinned maps are gone; a
 * pin removed meanwhile is skipped, never a failed start; DELETE removes the service's own pins only.
 */
abstract class AbstractRestartTest {

    @TempDir
    Path data;

    abstract String backend();

    /** Starts the service on {@link #data} and this backend's pin root. */
    abstract ServiceRun start();

    abstract Path pinRoot();

    /** Whether a map keeps its kernel id across a restart (the kernel's maps do: they are the same objects). */
    abstract boolean keepsKernelIds();

    /** With the service down, the agent creates an MMAPABLE array of 16 u64 and pins it at {@code pin}. */
    abstract void agentCreates(Path pin, String name, int index, long value) throws IOException;

    /** With the service down, whether the agent sees the map at {@code pin} frozen. */
    abstract boolean agentSeesFrozen(Path pin);

    @Test
    void aPinnedMapComesBackUnderItsIdWithItsBytesAndAnUnpinnedOneIsGone() {
        String kept;
        String gone;
        long kernelId;
        try (ServiceRun run = start()) {
            kept = run.api.create("kept", backend());
            run.api.write(kept, 9, 123456789);
            Response pinned = run.api.pin(kept, "kept");
            assertThat(pinned.status()).as(pinned.toString()).isEqualTo(200);
            kernelId = pinned.<Number>json("$.kernelId").longValue();
            gone = run.api.create("gone", backend());
            run.api.write(gone, 1, 1);
        }

        try (ServiceRun run = start()) {
            assertThat(run.http.get("/api/v1/maps").<List<String>>json("$[*].id")).containsExactly(kept);
            Response map = run.http.get("/api/v1/maps/" + kept);
            assertThat(map.<String>json("$.backend")).isEqualTo(backend());
            assertThat(map.<String>json("$.name")).isEqualTo("kept");
            assertThat(map.<String>json("$.pinnedPath")).isEqualTo(pinRoot().resolve("kept").toString());
            if (keepsKernelIds()) {
                assertThat(map.<Number>json("$.kernelId").longValue()).isEqualTo(kernelId);
            }
            assertThat(run.api.read(kept, 9)).isEqualTo(123456789);
            assertThat(run.http.get("/api/v1/maps/" + gone).status()).isEqualTo(404);

            // Still the service's own pin: delete removes it.
            assertThat(run.http.delete("/api/v1/maps/" + kept).status()).isEqualTo(204);
        }
        assertThat(pinRoot().resolve("kept")).doesNotExist();
    }

    /** A typed map keeps its type: the same BTF (as C), the same special fields, its values. */
    @Test
    void aPinnedTypedMapComesBackWithItsType() {
        String typed;
        String c;
        try (ServiceRun run = start()) {
            Response created = run.http.post("/api/v1/maps", """
                    {"name": "typed", "type": "ARRAY", "maxEntries": 4, "backend": "%s",
                     "valueType": {"kind": "struct", "name": "flow", "fields": [
                       {"name": "packets", "type": {"kind": "u64"}},
                       {"name": "lock", "type": {"kind": "bpf_spin_lock"}},
                       {"name": "comm", "type": {"kind": "char", "length": 6}}]}}""".formatted(backend()));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.<Integer>json("$.valueSize")).isEqualTo(24);
            assertThat(created.<Boolean>json("$.valueHasSpinLock")).isTrue();
            typed = created.json("$.id");
            assertThat(run.http.put("/api/v1/maps/" + typed + "/values/2", "{\"u64\": [77, 0, 0]}").status()).isEqualTo(204);
            assertThat(run.api.pin(typed, "typed").status()).isEqualTo(200);
            c = run.http.get("/api/v1/maps/" + typed + "/btf?format=c", "text/plain").body();
            assertThat(c).contains("struct flow {", "struct bpf_spin_lock lock;", "char comm[6];");
        }

        try (ServiceRun run = start()) {
            Response map = run.http.get("/api/v1/maps/" + typed);
            assertThat(map.<Boolean>json("$.valueHasSpinLock")).isTrue();
            assertThat(map.<Integer>json("$.valueSize")).isEqualTo(24);
            assertThat(run.http.get("/api/v1/maps/" + typed + "/btf?format=c", "text/plain").body()).isEqualTo(c);
            assertThat(run.api.read(typed, 2)).isEqualTo(77);
            Response freeze = run.http.post("/api/v1/maps/" + typed + "/freeze", null);
            assertThat(freeze.<String>json("$.errno")).as(freeze.toString()).isEqualTo("ENOTSUPP");
            assertThat(run.http.delete("/api/v1/maps/" + typed).status()).isEqualTo(204);
        }
    }

    @Test
    void anImportedMapComesBackWithItsNameAndFrozenStateAndItsPinStaysAfterDelete() throws IOException {
        Path pin = pinRoot().resolve("agent");
        agentCreates(pin, "agent", 0, 5);
        String id;
        try (ServiceRun run = start()) {
            Response imported = run.http.post("/api/v1/maps/import",
                    "{\"path\": \"agent\", \"backend\": \"" + backend() + "\", \"name\": \"node agent\"}");
            assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
            id = imported.json("$.id");
            assertThat(run.http.post("/api/v1/maps/" + id + "/freeze", null).status()).isEqualTo(200);
        }

        try (ServiceRun run = start()) {
            Response map = run.http.get("/api/v1/maps/" + id);
            assertThat(map.status()).as(map.toString()).isEqualTo(200);
            assertThat(map.<String>json("$.name")).isEqualTo("node agent");
            assertThat(map.<Boolean>json("$.frozen")).isTrue();
            assertThat(map.<String>json("$.pinnedPath")).isEqualTo(pin.toString());
            assertThat(run.api.read(id, 0)).isEqualTo(5);
            assertThat(run.http.delete("/api/v1/maps/" + id).status()).isEqualTo(204);
        }
        assertThat(pin).exists();
        assertThat(agentSeesFrozen(pin)).isTrue();
    }

    @Test
    void aPinRemovedWhileTheServiceWasDownIsSkipped() throws IOException {
        try (ServiceRun run = start()) {
            String id = run.api.create("brief", backend());
            assertThat(run.api.pin(id, "brief").status()).isEqualTo(200);
        }
        Files.delete(pinRoot().resolve("brief"));

        try (ServiceRun run = start()) {
            assertThat(run.http.get("/api/v1/maps").body()).isEqualTo("[]");
            assertThat(run.http.get("/actuator/health").status()).isEqualTo(200);
        }
    }
}
