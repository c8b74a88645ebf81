package io.bpfmapd.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.testing.Bpftool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Node telemetry in a container: the host pins a map with bpftool, the container (uid 0, only
 * CAP_SYS_ADMIN, the host's bpffs) imports it, reads it, writes it through a session and freezes
 * it, and the host sees all of it. The container is ready only if its kernel backend works
 * (BPFMAPD_BACKEND_DEFAULT=KERNEL puts it in the readiness group).
 */
class KernelImportIT {

    private static BpfmapdContainer container;
    private static ApiClient api;
    /** Pinned before the container starts, and listed in bpfmapd.kernel.imports. */
    private static Path bootPin;
    private Path pin;

    @BeforeAll
    static void start() {
        DockerRequirement.require();
        HostBpfRequirement.require();
        bootPin = newPinPath();
        Bpftool.run("map", "create", bootPin.toString(), "type", "array", "key", "4", "value", "8", "entries", "4",
                "name", "it_boot", "flags", "1024");
        Bpftool.update(bootPin, 0, u64(5));
        container = new BpfmapdContainer().withKernelBackend()
                .withEnv("BPFMAPD_BACKEND_DEFAULT", "KERNEL")
                .withEnv("BPFMAPD_KERNEL_IMPORTS_0", bootPin.toString());
        container.start();
        api = container.api();
    }

    @AfterAll
    static void stop() throws IOException {
        if (container != null) {
            container.stop();
        }
        if (bootPin != null) {
            Files.deleteIfExists(bootPin);
        }
    }

    private static Path newPinPath() {
        return PinDir.BPFFS.resolve("bpfmapd-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    }

    @Test
    void theMapsListedInKernelImportsAreImportedAtStartUp() {
        var maps = api.get("/api/v1/maps");
        assertThat(maps.status()).isEqualTo(200);
        var imported = maps.json().valueStream().filter(m -> "it_boot".equals(m.get("name").asString())).toList();
        assertThat(imported).as(maps.body()).singleElement().satisfies(m -> {
            assertThat(m.get("backend").asString()).isEqualTo("KERNEL");
            assertThat(api.get("/api/v1/maps/" + m.get("id").asString() + "/values/0?format=u64")
                    .json().get("u64").get(0).asLong()).isEqualTo(5);
        });
    }

    @AfterEach
    void unpin() throws IOException {
        if (pin != null) {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void aMapPinnedOnTheHostIsImportedReadWrittenThroughASessionAndFrozen() {
        pin = newPinPath();
        Bpftool.run("map", "create", pin.toString(), "type", "array", "key", "4", "value", "8", "entries", "16",
                "name", "it_host", "flags", "1024");
        Bpftool.update(pin, 1, u64(42));

        var imported = api.post("/api/v1/maps/import", "{\"path\":\"" + pin + "\"}");
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        String id = imported.json().get("id").asString();
        assertThat(imported.json().get("backend").asString()).isEqualTo("KERNEL");
        assertThat(imported.json().get("mmapable").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/maps/" + id + "/values/1?format=u64").json().get("u64").get(0).asLong()).isEqualTo(42);

        var session = api.post("/api/v1/maps/" + id + "/sessions", "{\"access\":\"READ_WRITE\",\"ttlSeconds\":60}");
        assertThat(session.status()).as(session.body()).isEqualTo(201);
        String sid = session.json().get("id").asString();
        assertThat(api.put("/api/v1/sessions/" + sid + "/memory?offset=16", "{\"u64\":[7]}").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);

        var frozen = api.post("/api/v1/maps/" + id + "/freeze", "");
        assertThat(frozen.status()).as(frozen.body()).isEqualTo(200);

        // The host sees the write made through the container's mapping, and the freeze.
        assertThat(Bpftool.lookup(pin, 2)).containsExactly(u64(7));
        assertThat(Bpftool.run("map", "show", "pinned", pin.toString())).contains("frozen");
        assertThatThrownBy(() -> Bpftool.update(pin, 2, u64(8)))
                .hasMessageContaining("Operation not permitted");

        assertThat(api.delete("/api/v1/maps/" + id).status()).isEqualTo(204);
        assertThat(Files.exists(pin)).as("deleting the service's map leaves the host's pin").isTrue();
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}
