package io.bpfmapd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.testing.ApiClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link AbstractRestartTest} on the emulated backend, a new application context on the same data
 * directory, with another {@link EmulatedBackend} on it as the agent while the service is down. Also what
 * only the emulation keeps in its own files: creation time, bytes written through a session, and the
 * state file, which when unreadable is moved aside, never a failed start.
 */
class EmulatedRestartTest extends AbstractRestartTest {

    @Override
    String backend() {
        return "EMULATED";
    }

    @Override
    ServiceRun start() {
        return ServiceRun.start("bpfmapd.emulated.data-dir=" + data, "bpfmapd.kernel.enabled=false");
    }

    @Override
    Path pinRoot() {
        return data.resolve("pins");
    }

    @Override
    boolean keepsKernelIds() {
        return false;
    }

    @Override
    void agentCreates(Path pin, String name, int index, long value) throws IOException {
        Files.createDirectories(pin.getParent());
        try (EmulatedBackend agent = new EmulatedBackend(data);
             BpfMap map = agent.create(new MapSpec(name, MapType.ARRAY, 4, 8, 16, MapFlag.MMAPABLE.bit(), false))) {
            map.update(index, BpffsRoot.u64(value), UpdateFlag.ANY);
            map.pin(pin);
        }
    }

    @Override
    boolean agentSeesFrozen(Path pin) {
        try (EmulatedBackend agent = new EmulatedBackend(data); BpfMap map = agent.open(pin)) {
            return map.info().frozen();
        }
    }

    @Test
    void aPinnedMapComesBackWithItsIdBytesAndFrozenState() {
        String kept;
        String frozenKept;
        String gone;
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

            gone = run.api.create("unpinned", "EMULATED");
            run.api.write(gone, 1, 1);
            // The session is still open when the service stops: a restart ends it, as a process exit would.
        }
        try (ServiceRun run = start()) {
            List<String> ids = run.http.get("/api/v1/maps").json("$[*].id");
            assertThat(ids).containsExactlyInAnyOrder(kept, frozenKept);
            assertThat(ids).doesNotContain(gone);

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
