package io.bpfmapd.e2e;

import static io.bpfmapd.e2e.PinApi.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.testing.Http;
import io.bpfmapd.testing.Http.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Pin and import over HTTP on the emulated backend: pins are hard links under {@code <data-dir>/pins},
 * every refusal is a problem detail with the errno, and DELETE removes the service's own pin only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EmulatedPinningTest {

    static final Path DATA = Path.of("target", "pins-e2e-" + ProcessHandle.current().pid() + "-" + System.nanoTime())
            .toAbsolutePath();
    static final Path PINS = DATA.resolve("pins");

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("bpfmapd.emulated.data-dir", DATA::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    EmulatedBackend emulated;

    Http http;
    PinApi api;

    @BeforeEach
    void client() {
        http = new Http(port);
        api = new PinApi(http);
    }

    @AfterEach
    void deleteEverything() {
        api.deleteEverything();
    }

    @Test
    void aPinnedMapShowsItsPinAndDeleteRemovesIt() throws IOException {
        String id = api.create("pinned", "EMULATED");
        api.write(id, 2, 77);
        int pinnedBefore = emulated.pinnedMapCount();

        Response pinned = api.pin(id, "counters");

        assertThat(pinned.status()).as(pinned.toString()).isEqualTo(200);
        Path pin = PINS.toRealPath().resolve("counters");
        assertThat(pinned.<String>json("$.pinnedPath")).isEqualTo(pin.toString());
        assertThat(pinned.<Integer>json("$.kernelId")).isPositive();
        assertThat(http.get("/api/v1/maps/" + id).<String>json("$.pinnedPath")).isEqualTo(pin.toString());
        assertThat(Files.isRegularFile(pin)).isTrue();
        assertThat(Files.readString(DATA.resolve("pins.json"))).contains(id, pin.toString(), "PINNED");
        assertThat(emulated.pinnedMapCount()).isEqualTo(pinnedBefore + 1);

        assertThat(http.delete("/api/v1/maps/" + id).status()).isEqualTo(204);

        assertThat(pin).doesNotExist();
        assertThat(Files.readString(DATA.resolve("pins.json"))).doesNotContain(id);
        assertThat(emulated.pinnedMapCount()).isEqualTo(pinnedBefore);
    }

    @Test
    void anAbsolutePathMustBeUnderThePinRoot() throws IOException {
        String id = api.create("absolute", "EMULATED");
        Path inside = PINS.toRealPath().resolve("absolute");

        assertProblem(api.pin(id, DATA.resolve("elsewhere").toString()), 400, "EINVAL");
        Response pinned = api.pin(id, inside.toString());

        assertThat(pinned.status()).as(pinned.toString()).isEqualTo(200);
        assertThat(pinned.<String>json("$.pinnedPath")).isEqualTo(inside.toString());
    }

    @Test
    void pinRefusesWhatTheRulesRefuse() throws IOException {
        String id = api.create("refused", "EMULATED");
        Path outside = Files.createDirectories(DATA.resolve("outside"));
        Files.createSymbolicLink(PINS.resolve("escape"), outside);
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
        Files.delete(PINS.resolve("escape"));
    }

    /** The rollback holds, and the answer says the disk is at fault (503) with the failed write's errno. */
    @Test
    void aPinWhosePinStateCannotBeWrittenIsUndoneAnd503() throws IOException {
        String id = api.create("unsaved", "EMULATED");
        // A directory where pins.json's temporary file goes: the write fails with EISDIR, even for root.
        Path blocker = Files.createDirectory(DATA.resolve("pins.json.tmp"));
        try {
            Response refused = api.pin(id, "unsaved");

            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(refused.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:pin-state-not-written");
            assertThat(refused.<String>json("$.errno")).isEqualTo("EISDIR");
            assertThat(refused.<String>json("$.operation")).isEqualTo("pins.json write");
            assertThat(PINS.resolve("unsaved")).doesNotExist();
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
                .anySatisfy(l -> assertThat(l).startsWith("pinned map ").contains("line\\u000a2026-01-01 INFO forged\""))
                .allSatisfy(l -> assertThat(l).doesNotContain("\n"));
    }

    @Test
    void importRefusesWhatTheRulesRefuse() throws IOException {
        Path outside = Files.createDirectories(DATA.resolve("outside-import"));
        Files.writeString(outside.resolve("m"), "x");
        Files.createSymbolicLink(PINS.resolve("escape-import"), outside.resolve("m"));
        Files.writeString(PINS.resolve("not-a-map"), "not a map file");

        assertProblem(api.importMap(outside.resolve("m").toString(), "EMULATED"), 400, "EINVAL");
        assertProblem(api.importMap("../outside-import/m", "EMULATED"), 400, "EINVAL");
        assertProblem(api.importMap("escape-import", "EMULATED"), 400, "EXDEV");
        assertProblem(api.importMap("not-a-map", "EMULATED"), 400, "EINVAL");
        assertProblem(api.importMap("missing", "EMULATED"), 404, "ENOENT");
        assertThat(http.get("/api/v1/maps").body()).isEqualTo("[]");
        Files.delete(PINS.resolve("escape-import"));
        Files.delete(PINS.resolve("not-a-map"));
    }

    @Test
    void importWithoutABackendMeansTheKernelsBpffs() {
        // The emulated pin root is not under the bpffs root, so a KERNEL import refuses the path (or, where the
        // kernel backend does not work, says so): either way it never reads the emulated file.
        Response r = api.importMap(PINS.resolve("whatever").toString(), null);

        assertThat(r.status()).as(r.toString()).isIn(400, 503);
        assertThat(r.body()).contains(r.status() == 400 ? "/sys/fs/bpf" : "KERNEL");
    }

    @Test
    void anImportedMapIsHeldLikeAnyOtherAndDeleteLeavesItsPin() {
        Path pin = PINS.resolve("agent");
        try (BpfMap agent = emulated.create(new MapSpec("agent", MapType.ARRAY, 4, 8, 16, MapFlag.MMAPABLE.bit(), false))) {
            agent.update(1, new byte[] {42, 0, 0, 0, 0, 0, 0, 0}, io.bpfmapd.backend.UpdateFlag.ANY);
            agent.pin(pin);
        }

        Response imported = http.post("/api/v1/maps/import",
                "{\"path\": \"agent\", \"backend\": \"EMULATED\", \"name\": \"agent-counters\"}");

        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        String id = imported.json("$.id");
        assertThat(imported.headers().getLocation()).hasToString("/api/v1/maps/" + id);
        assertThat(imported.<String>json("$.name")).isEqualTo("agent-counters");
        assertThat(imported.<String>json("$.backend")).isEqualTo("EMULATED");
        assertThat(imported.<String>json("$.pinnedPath")).isEqualTo(pin.toString());
        assertThat(api.read(id, 1)).isEqualTo(42);
        api.write(id, 3, 7);

        assertProblem(api.importMap("agent", "EMULATED"), 409, "EEXIST");
        assertProblem(api.pin(id, "second"), 409, "EEXIST");

        assertThat(http.delete("/api/v1/maps/" + id).status()).isEqualTo(204);
        assertThat(pin).isRegularFile();

        // The pin kept the map: imported again, the write is there.
        Response again = api.importMap("agent", "EMULATED");
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.<String>json("$.name")).isEqualTo("agent");
        assertThat(api.read(again.json("$.id"), 3)).isEqualTo(7);
    }
}
