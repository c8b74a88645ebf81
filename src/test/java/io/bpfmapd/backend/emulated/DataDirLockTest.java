package io.bpfmapd.backend.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One instance per data directory: a second backend on it, in this JVM or in another process, is
 * refused before it sweeps {@code anon/}, and the first one's files stay as they were.
 */
class DataDirLockTest {

    @TempDir
    Path dataDir;

    static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    static EmulatedBackend backendOn(Path dir) {
        return new EmulatedBackend(dir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
    }

    @Test
    void aSecondBackendInThisJvmIsRefusedAndTouchesNothing() throws IOException {
        try (EmulatedBackend first = backendOn(dataDir)) {
            BpfMap map = first.create(new MapSpec("live", MapType.ARRAY, 4, 8, 4, 0, false));
            List<Path> files = listing(dataDir.resolve("anon"));
            assertThat(files).hasSize(1);

            assertThatThrownBy(() -> backendOn(dataDir))
                    .isInstanceOf(DataDirLockedException.class)
                    .hasMessageContaining(dataDir.toRealPath().toString())
                    .hasMessageContaining("another bpfmapd instance");
            // The same directory by another spelling is the same directory.
            assertThatThrownBy(() -> backendOn(dataDir.resolve("anon").resolve(".."))).isInstanceOf(DataDirLockedException.class);

            assertThat(listing(dataDir.resolve("anon"))).as("not swept").isEqualTo(files);
            assertThat(map.lookup(0)).hasSize(8);
            map.close();
        }
        try (EmulatedBackend next = backendOn(dataDir)) {
            assertThat(next.liveMapCount()).isZero();
        }
    }

    @Test
    void aSecondProcessHoldingTheDirectoryRefusesThisOneUntilItEnds() throws Exception {
        Path pin = dataDir.resolve("survivor");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), PinAndHalt.class.getName(), dataDir.toString(), pin.toString(),
                "false").redirectErrorStream(true).start();
        try {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                do {
                    line = out.readLine();
                } while (line != null && !line.equals("ready"));
                assertThat(line).as("the child got ready").isEqualTo("ready");
                List<Path> files = listing(dataDir.resolve("anon"));
                assertThat(files).as("the child's pinned and unpinned maps").hasSize(2);

                assertThatThrownBy(() -> backendOn(dataDir))
                        .isInstanceOf(DataDirLockedException.class)
                        .hasMessageContaining("another process holds " + dataDir.toRealPath().resolve(DataDirLock.FILE_NAME));

                assertThat(listing(dataDir.resolve("anon"))).as("the live child's files are not swept").isEqualTo(files);
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // The kernel dropped the killed child's lock: the directory is free, and the dead child's unpinned map swept.
        try (EmulatedBackend next = backendOn(dataDir)) {
            assertThat(listing(dataDir.resolve("anon"))).isEmpty();
        }
    }
}
