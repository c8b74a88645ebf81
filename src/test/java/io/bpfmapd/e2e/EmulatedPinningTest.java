package io.bpfmapd.e2e;

import static io.bpfmapd.e2e.PinApi.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.testing.ApiClient.Response;
import io.bpfmapd.testing.TemporaryDataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@link AbstractPinningTest} on the emulated backend: pins are hard links under {@code <data-dir>/pins},
 * and the agent is the service's own {@link EmulatedBackend}, as another process on the same data
 * directory would be. Also what only the emulation has: the state file {@code pins.json}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TemporaryDataDir
class EmulatedPinningTest extends AbstractPinningTest {

    @Value("${bpfmapd.emulated.data-dir}")
    Path dataDir;

    @Autowired
    EmulatedBackend emulated;

    @Override
    String backend() {
        return "EMULATED";
    }

    @Override
    Path pinRoot() throws IOException {
        return dataDir.resolve("pins").toRealPath();
    }

    @Override
    void agentCreates(Path pin, String name) {
        try (BpfMap agent = emulated.create(new MapSpec(name, MapType.ARRAY, 4, 8, 16, MapFlag.MMAPABLE.bit(), false))) {
            agent.pin(pin);
        }
    }

    @Override
    void agentCreatesNonArray(Path pin) throws IOException {
        Files.writeString(pin, "not a map file");
    }

    @Override
    Path outsideMap() throws IOException {
        Path outside = dataDir.toRealPath().resolve("outside_map");
        if (!Files.exists(outside)) {
            Files.writeString(outside, "x");
        }
        return outside;
    }

    @Override
    void agentWrites(Path pin, int index, long value) {
        try (BpfMap map = emulated.open(pin)) {
            map.update(index, BpffsRoot.u64(value), UpdateFlag.ANY);
        }
    }

    @Override
    long agentReads(Path pin, int index) {
        try (BpfMap map = emulated.open(pin)) {
            return BpffsRoot.u64(map.lookup(index));
        }
    }

    @Override
    long agentMapId(Path pin) {
        try (BpfMap map = emulated.open(pin)) {
            return map.info().id();
        }
    }

    @Override
    boolean agentSeesFrozen(Path pin) {
        try (BpfMap map = emulated.open(pin)) {
            return map.info().frozen();
        }
    }

    @Test
    void aPinIsKeptInTheStateFileUntilDelete() throws IOException {
        String id = api.create("pinned", "EMULATED");
        int pinnedBefore = emulated.pinnedMapCount();

        assertThat(api.pin(id, "counters").status()).isEqualTo(200);

        Path pin = pinRoot().resolve("counters");
        assertThat(Files.isRegularFile(pin)).isTrue();
        assertThat(Files.readString(dataDir.resolve("pins.json"))).contains(id, pin.toString(), "PINNED");
        assertThat(emulated.pinnedMapCount()).isEqualTo(pinnedBefore + 1);

        assertThat(http.delete("/api/v1/maps/" + id).status()).isEqualTo(204);

        assertThat(Files.readString(dataDir.resolve("pins.json"))).doesNotContain(id);
        assertThat(emulated.pinnedMapCount()).isEqualTo(pinnedBefore);
    }

    @Test
    void anAbsolutePathMustBeUnderThePinRoot() throws IOException {
        String id = api.create("absolute", "EMULATED");
        Path inside = dataDir.resolve("pins").toRealPath().resolve("absolute");

        assertProblem(api.pin(id, dataDir.resolve("elsewhere").toString()), 400, "EINVAL");
        Response pinned = api.pin(id, inside.toString());

        assertThat(pinned.status()).as(pinned.toString()).isEqualTo(200);
        assertThat(pinned.<String>json("$.pinnedPath")).isEqualTo(inside.toString());
    }

    @Test
    void pinRefusesWhatTheRulesRefuse() throws IOException {
        String id = api.create("refused", "EMULATED");
        Path outside = Files.createDirectories(dataDir.resolve("outside"));
        Files.createSymbolicLink(dataDir.resolve("pins").resolve("escape"), outside);
        String other = api.create("other", "EMULATED");
        assertThat(api.pin(other, "taken").status()).isEqualTo(200);

        assertProblem(api.pin(id, "../anon/x"), 400, "EINVAL");
        assertProblem(api.pin(id, "a/./b"), 400, "EINVAL");
        assertProblem(api.pin(id, "/tmp/x"), 400, "EINVAL");
        assertProblem(api.pin(id, "escape/x"), 400, "EXDEV");
        assertProblem(api.pin(id, "no/such/dir/x"), 404, "ENOENT");
        assertProblem(api.pin(id, "taken"), 409, "EEXIST");
        assertProblem(api.pin(other, "again"), 409, "EEXIST");
        Response blank = api.pin(id, "");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.<String>json("$.errno")).isEqualTo("EINVAL");
        Response unknown = api.pin("no-such-map", "x");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:map-not-found");

        assertThat(outside.resolve("x")).doesNotExist();
        assertThat(http.get("/api/v1/maps/" + id).<String>json("$.pinnedPath")).isNull();
        Files.delete(dataDir.resolve("pins").resolve("escape"));
    }

    /** The rollback holds, and the answer says the disk is at fault (503) with the failed write's errno. */
    @Test
    void aPinWhosePinStateCannotBeWrittenIsUndoneAnd503() throws IOException {
        String id = api.create("unsaved", "EMULATED");
        // A directory where pins.json's temporary file goes: the write fails with EISDIR, even for root.
        Path blocker = Files.createDirectory(dataDir.resolve("pins.json.tmp"));
        try {
            Response refused = api.pin(id, "unsaved");

            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:pin-state-not-written");
            assertThat(refused.<String>json("$.errno")).isEqualTo("EISDIR");
            assertThat(refused.<String>json("$.operation")).isEqualTo("pins.json write");
            assertThat(dataDir.resolve("pins").resolve("unsaved")).doesNotExist();
            assertThat(http.get("/api/v1/maps/" + id).<String>json("$.pinnedPath")).isNull();
        } finally {
            Files.delete(blocker);
        }
        assertThat(api.pin(id, "unsaved").status()).isEqualTo(200);
    }

    /** A newline is a valid file name byte; in a log line it would start a forged line of its own. */
    @Test
    void aPinPathWithANewlineStaysOnOneLogLine() {
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(io.bpfmapd.map.PinService.class);
        var lines = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        lines.start();
        logger.addAppender(lines);
        try {
            String id = api.create("newline", "EMULATED");
            Response pinned = api.pin(id, "line\\n2026-01-01 INFO forged");

            assertThat(pinned.status()).as(pinned.toString()).isEqualTo(200);
        } finally {
            logger.detachAppender(lines);
        }
        assertThat(lines.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .anySatisfy(l -> assertThat(l).startsWith("pinned map ").contains("line\\n2026-01-01 INFO forged\""))
                .allSatisfy(l -> assertThat(l).doesNotContain("\n"));
    }

    @Test
    void importWithoutABackendMeansTheKernelsBpffs() {
        // The emulated pin root is not under the bpffs root, so a KERNEL import refuses the path (or, where the
        // kernel backend does not work, says so): either way it never reads the emulated file.
        Response r = api.importMap(dataDir.resolve("pins").resolve("whatever").toString(), null);

        assertThat(r.status()).as(r.toString()).isIn(400, 503);
        assertThat(r.body()).contains(r.status() == 400 ? "/sys/fs/bpf" : "KERNEL");
    }

    @Test
    void anImportMayNameTheMap() throws IOException {
        agentCreates(pinRoot().resolve("agent"), "agent");

        Response imported = http.post("/api/v1/maps/import",
                "{\"path\": \"agent\", \"backend\": \"EMULATED\", \"name\": \"agent-counters\"}");

        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        assertThat(imported.<String>json("$.name")).isEqualTo("agent-counters");
    }
}
