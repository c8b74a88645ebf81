package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.UpdateFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Pinned emulated maps are files that keep their bytes and frozen state across backends and processes. */
class EmulatedPersistenceTest {

    private static final long PAGE = 4096;

    @TempDir
    Path dataDir;

    private static byte[] u64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    @Test
    void aMapPinnedWithOnePageSizeIsRefusedByABackendWithAnother() {
        Path pin = dataDir.resolve("pins/paged");
        try (EmulatedBackend small = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES, 4096)) {
            pin.getParent().toFile().mkdirs();
            try (BpfMap map = small.create(new MapSpec("paged", MapType.ARRAY, 4, 8, 4, MapFlag.MMAPABLE.bit(), false))) {
                map.pin(pin);
            }
        }
        try (EmulatedBackend large = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES, 64 * 1024)) {
            BpfException e = assertThrows(BpfException.class, () -> large.open(pin));
            assertThat(e.errno()).isEqualTo(Errno.EINVAL);
            assertThat(e.getMessage()).contains("4096-byte pages");
        }
        try (EmulatedBackend again = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES, 4096);
             BpfMap map = again.open(pin)) {
            assertThat(map.geometry().dataSize()).isEqualTo(4096);
        }
    }

    @Test
    void aPinnedMapComesBackWithItsBytesAndFrozenState() {
        Path pin = dataDir.resolve("pins/counters");
        byte[] expected;
        try (EmulatedBackend first = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES)) {
            pin.getParent().toFile().mkdirs();
            BpfMap map = first.create(new MapSpec("counters", MapType.ARRAY, 4, 12, 500, MapFlag.MMAPABLE.bit(), false));
            map.update(3, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, UpdateFlag.ANY);
            try (Mapping m = map.mmap(0, 2 * PAGE, true)) {
                m.writeLong(499 * 16, 0x1122334455667788L);
            }
            map.pin(pin);
            map.freeze();
            assertThat(map.info().pinnedPath()).contains(pin);
            expected = map.lookup(499);
            map.close();
            // The pin holds the map, as a bpffs inode does.
            assertThat(first.liveMapCount()).isEqualTo(1);
        }
        try (EmulatedBackend second = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES)) {
            BpfMap again = second.open(pin);
            assertThat(again.info().spec())
                    .isEqualTo(new MapSpec("counters", MapType.ARRAY, 4, 12, 500, MapFlag.MMAPABLE.bit(), false));
            assertThat(again.info().frozen()).isTrue();
            assertThat(again.info().pinnedPath()).contains(pin.toAbsolutePath());
            assertThat(again.lookup(3)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
            assertThat(again.lookup(499)).containsExactly(expected);
            assertThat(assertThrows(BpfException.class, () -> again.update(0, new byte[12], UpdateFlag.ANY)).errno())
                    .isEqualTo(Errno.EPERM);
            assertThat(assertThrows(BpfException.class, () -> again.mmap(0, PAGE, true)).errno()).isEqualTo(Errno.EPERM);
            try (Mapping ro = again.mmap(PAGE, PAGE, false)) {
                assertThat(ro.readLong(499 * 16 - PAGE)).isEqualTo(0x1122334455667788L);
            }
            again.close();
        }
    }

    @Test
    void aPerCpuMapPersistsAndRefusesAnotherCpuCount() {
        Path pin = dataDir.resolve("percpu");
        try (EmulatedBackend first = new EmulatedBackend(dataDir, 3, EmulatedBackend.DEFAULT_MAX_MAP_BYTES)) {
            BpfMap map = first.create(new MapSpec("pc", MapType.PERCPU_ARRAY, 4, 4, 8, 0, false));
            assertThat(map.lookup(0)).hasSize(3 * 8);
            map.update(7, new byte[]{1, 0, 0, 0, 9, 9, 9, 9, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0}, UpdateFlag.ANY);
            map.pin(pin);
            map.close();
        }
        try (EmulatedBackend same = new EmulatedBackend(dataDir, 3, EmulatedBackend.DEFAULT_MAX_MAP_BYTES)) {
            BpfMap again = same.open(pin);
            assertThat(again.lookup(7)).containsExactly(1, 0, 0, 0, 9, 9, 9, 9, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0);
            again.close();
        }
        try (EmulatedBackend other = new EmulatedBackend(dataDir, 4, EmulatedBackend.DEFAULT_MAX_MAP_BYTES)) {
            assertThat(assertThrows(BpfException.class, () -> other.open(pin)).errno()).isEqualTo(Errno.EINVAL);
        }
    }

    @Test
    void unpinnedMapsEndWithTheBackend() throws Exception {
        Path anon = dataDir.resolve("anon");
        try (EmulatedBackend backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES)) {
            BpfMap map = backend.create(new MapSpec("temp", MapType.ARRAY, 4, 8, 4, MapFlag.MMAPABLE.bit(), false));
            Mapping m = map.mmap(0, PAGE, true);
            assertThat(listing(anon)).hasSize(1);
            backend.close();
            // Everything the backend handed out is dead now, cleanly.
            assertThat(m.isClosed()).isTrue();
            assertThrows(io.bpfmapd.backend.MappingClosedException.class, () -> m.readLong(0));
            assertThat(assertThrows(BpfException.class, () -> map.lookup(0)).errno()).isEqualTo(Errno.EBADF);
            map.close();
        }
        assertThat(listing(anon)).isEmpty();
    }

    @Test
    void aKilledProcessLeavesItsPinnedMapAndTheNextStartSweepsTheRest() throws Exception {
        Path pin = dataDir.resolve("survivor");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), PinAndHalt.class.getName(), dataDir.toString(), pin.toString(), "true")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("ready"));
            assertThat(line).as("the child got ready").isEqualTo("ready");
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(listing(dataDir.resolve("anon"))).as("files of both maps left by the killed child").hasSize(2);

        try (EmulatedBackend next = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES)) {
            assertThat(listing(dataDir.resolve("anon"))).as("swept at start").isEmpty();
            BpfMap map = next.open(pin);
            assertThat(map.info().frozen()).isTrue();
            assertThat(map.lookup(1000)).containsExactly(u64(0xC0FFEEL));
            assertThat(map.lookup(999)).containsExactly(new byte[8]);
            map.close();
        }
    }

    @Test
    void pinningAnOpenedMapLinksTheSameFile() {
        Path first = dataDir.resolve("one");
        Path second = dataDir.resolve("two");
        try (EmulatedBackend backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES)) {
            BpfMap map = backend.create(new MapSpec("m", MapType.ARRAY, 4, 8, 4, 0, false));
            map.pin(first);
            map.close();
            BpfMap opened = backend.open(first);
            opened.pin(second);
            opened.update(1, u64(5), UpdateFlag.ANY);
            BpfMap viaSecond = backend.open(second);
            assertThat(viaSecond.info().id()).isEqualTo(opened.info().id());
            assertThat(viaSecond.lookup(1)).containsExactly(u64(5));
            opened.close();
            viaSecond.close();
        }
    }

    private static List<Path> listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
