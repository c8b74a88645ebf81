package io.bpfmapd.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BackendUnavailableException;
import io.bpfmapd.map.PinRecord.Origin;
import io.bpfmapd.map.PinRoots.PinRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pin state file and the pin roots, without Spring. */
class PinStoreTest {

    @TempDir
    Path dir;

    static final String A = "00000000-0000-4000-8000-00000000000a";
    static final String B = "00000000-0000-4000-8000-00000000000b";

    static PinRecord record(String id) {
        return new PinRecord(id, null, BackendKind.KERNEL, "/sys/fs/bpf/" + id, Origin.PINNED,
                Instant.parse("2026-01-02T03:04:05.123456789Z"));
    }

    @Test
    void recordsSurviveANewStoreOnTheSameFile() {
        Path file = dir.resolve("pins.json");
        PinStore store = new PinStore(file);
        store.put(record(A));
        store.put(new PinRecord(B, "node agent", BackendKind.EMULATED, "/data/pins/b", Origin.IMPORTED, Instant.EPOCH));
        store.remove(A);

        assertThat(new PinStore(file).all()).containsExactly(
                new PinRecord(B, "node agent", BackendKind.EMULATED, "/data/pins/b", Origin.IMPORTED, Instant.EPOCH));
        assertThat(dir.resolve("pins.json.tmp")).doesNotExist();
    }

    @Test
    void aFailedWriteKeepsTheRecordsAsTheyWere() throws IOException {
        Path file = dir.resolve("state").resolve("pins.json");
        PinStore store = new PinStore(file);
        store.put(record(A));
        // A directory where the temporary file goes makes the write fail.
        Files.createDirectory(file.resolveSibling("pins.json.tmp"));

        Assertions.assertThatThrownBy(() -> store.put(record(B)))
                .isInstanceOfSatisfying(PinStateNotWrittenException.class,
                        e -> assertThat(e.errno()).isEqualTo(io.bpfmapd.backend.Errno.EISDIR));

        assertThat(store.all()).containsExactly(record(A));
        assertThat(new PinStore(file).all()).containsExactly(record(A));
    }

    @Test
    void aFileOfAnotherVersionIsMovedAsideNotTrusted() throws IOException {
        Path file = dir.resolve("pins.json");
        Files.writeString(file, "{\"version\": 2, \"maps\": []}");

        assertThat(new PinStore(file).all()).isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void aKernelRootThatIsNotBpffsIsUnavailableWithTheMountCommand() {
        PinRoots roots = new PinRoots(Map.of(BackendKind.KERNEL, new PinRoot(dir, "bpf"),
                BackendKind.EMULATED, new PinRoot(dir, null)));

        Assertions.assertThatThrownBy(() -> roots.confinement(BackendKind.KERNEL))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("mount -t bpf bpf " + dir);
        assertThat(roots.confinement(BackendKind.EMULATED).root()).isEqualTo(dir.toAbsolutePath());
        assertThat(new PinRoots(Map.of(BackendKind.KERNEL, new PinRoot(dir.resolve("missing"), "bpf")))
                .problem(BackendKind.KERNEL)).contains("mount -t bpf bpf");
    }
}
