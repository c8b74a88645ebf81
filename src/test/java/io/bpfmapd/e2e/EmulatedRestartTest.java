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
 * Pinned emulated maps outlive the service: a new application context on the same data directory
 * brings them back under the same id, with their bytes and frozen state; unpinned maps are gone; a pin
 * that vanished meanwhile, or an unreadable state file, is logged and skipped, never a failed start.
 */
class EmulatedRestartTest {

    @TempDir
    Path data;

    ServiceRun start() {
        return ServiceRun.start("bpfmapd.emulated.data-dir=" + data, "bpfmapd.kernel.enabled=false");
    }

    @Test
    void aPinnedMapComesBackWithItsIdBytesAndFrozenState() {
        String kept;
        String frozenKept;
        String gone;
        String vanished;
        Object createdAt;
        try (ServiceRun run = start()) {
            kept = run.api.create("kept", "EMULATED");
            run.api.write(kept, 5, 0x1122334455L);
            Response session = run.http.post("/api/v1/maps/" + kept + "/sessions", "{\"access\": \"READ_WRITE\"}");
            assertThat(session.status()).isEqualTo(201);
            String sid = session.json("$.id");
            assertThat(run.http.put("/api/v1/sessions/" + sid + "/memory?offset=56", "{\"u64\": [99]}").status())
                    .isEqualTo(204);
            assertThat(run.api.pin(kept, "kept").status()).isEqualTo(200);
            createdAt = run.http.get("/api/v1/maps/" + kept).json("$.createdAt");

            frozenKept = run.api.create("frozen", "EMULATED");
            run.api.write(frozenKept, 0, 7);
            assertThat(run.http.post("/api/v1/maps/" + frozenKept + "/freeze", null).status()).isEqualTo(200);
            assertThat(run.api.pin(frozenKept, "frozen").status()).isEqualTo(200);

            vanished = run.api.create("vanished", "EMULATED");
            assertThat(run.api.pin(vanished, "vanished").status()).isEqualTo(200);

            gone = run.api.create("unpinned", "EMULATED");
            run.api.write(gone, 1, 1);
            // The session is still open when the service stops: a restart ends it, as a process exit would.
        }
        assertThat(data.resolve("pins/vanished")).isRegularFile();
        assertThat(data.resolve("pins/vanished").toFile().delete()).isTrue();

        try (ServiceRun run = start()) {
            List<String> ids = run.http.get("/api/v1/maps").json("$[*].id");
            assertThat(ids).containsExactlyInAnyOrder(kept, frozenKept);
            assertThat(ids).doesNotContain(gone, vanished);

            Response map = run.http.get("/api/v1/maps/" + kept);
            assertThat(map.<String>json("$.name")).isEqualTo("kept");
            assertThat(map.<Boolean>json("$.frozen")).isFalse();
            assertThat(map.<String>json("$.pinnedPath")).endsWith("/pins/kept");
            assertThat(map.<Object>json("$.createdAt")).isEqualTo(createdAt);
            assertThat(map.<Integer>json("$.sessions.active")).isZero();
            assertThat(run.api.read(kept, 5)).isEqualTo(0x1122334455L);
            assertThat(run.api.read(kept, 7)).isEqualTo(99);

            Response frozen = run.http.get("/api/v1/maps/" + frozenKept);
            assertThat(frozen.<Boolean>json("$.frozen")).isTrue();
            assertThat(run.api.read(frozenKept, 0)).isEqualTo(7);
            PinApi.assertProblem(run.http.put("/api/v1/maps/" + frozenKept + "/values/0", "{\"u64\": [8]}"), 403, "EPERM");
            PinApi.assertProblem(run.http.post("/api/v1/maps/" + frozenKept + "/sessions",
                    "{\"access\": \"READ_WRITE\"}"), 403, "EPERM");

            // Still the service's own pin: delete removes it, and the next start has nothing to bring back.
            assertThat(run.http.delete("/api/v1/maps/" + kept).status()).isEqualTo(204);
            assertThat(data.resolve("pins/kept")).doesNotExist();
        }

        try (ServiceRun run = start()) {
            assertThat(run.http.get("/api/v1/maps").<List<String>>json("$[*].id")).containsExactly(frozenKept);
            assertThat(run.http.delete("/api/v1/maps/" + frozenKept).status()).isEqualTo(204);
        }
        assertThat(data.resolve("pins")).isEmptyDirectory();
        assertThat(data.resolve("anon")).isEmptyDirectory();
    }

    @Test
    void anImportedMapComesBackWithItsNameAndItsPinStaysAfterDelete() {
        String id;
        try (ServiceRun run = start()) {
            String made = run.api.create("agent", "EMULATED");
            run.api.write(made, 2, 42);
            assertThat(run.api.pin(made, "agent").status()).isEqualTo(200);
            // Hand the pin over: the service forgets the map, then imports it as another program's.
            Path pin = data.resolve("pins/agent");
            Path moved = data.resolve("pins/agent-moved");
            try {
                Files.createLink(moved, pin);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            assertThat(run.http.delete("/api/v1/maps/" + made).status()).isEqualTo(204);
            Response imported = run.http.post("/api/v1/maps/import",
                    "{\"path\": \"agent-moved\", \"backend\": \"EMULATED\", \"name\": \"node agent\"}");
            assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
            id = imported.json("$.id");
        }
        try (ServiceRun run = start()) {
            Response map = run.http.get("/api/v1/maps/" + id);
            assertThat(map.status()).as(map.toString()).isEqualTo(200);
            assertThat(map.<String>json("$.name")).isEqualTo("node agent");
            assertThat(run.api.read(id, 2)).isEqualTo(42);
            assertThat(run.http.delete("/api/v1/maps/" + id).status()).isEqualTo(204);
        }
        assertThat(data.resolve("pins/agent-moved")).isRegularFile();
    }

    @Test
    void anUnreadableStateFileIsMovedAsideAndTheServiceStarts() throws IOException {
        Files.writeString(data.resolve("pins.json"), "{not json");

        try (ServiceRun run = start()) {
            assertThat(run.http.get("/api/v1/maps").body()).isEqualTo("[]");
            assertThat(run.http.get("/actuator/health").status()).isEqualTo(200);
        }
        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("pins.json.unreadable-"));
        }
    }
}
