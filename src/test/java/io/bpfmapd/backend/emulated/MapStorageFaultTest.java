package io.bpfmapd.backend.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.testing.ReadOnlyBindMount;
import io.bpfmapd.testing.SmallTmpfs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/**
 * The data directory's file system full, and a map's file truncated under it: clean errno, never a
 * fault surfacing as an {@link InternalError}, never a half-done change.
 */
class MapStorageFaultTest {

    /** 131072 u64: 1 MiB of data, plus the header page: 1 MiB + 4 KiB of file. */
    private static final MapSpec ONE_MIB = new MapSpec("mib", MapType.ARRAY, 4, 8, 131072, MapFlag.MMAPABLE.bit(), false);
    private static final int MIB = 1 << 20;
    /** The file's header page on this machine (x86_64, 4 KiB pages). */
    private static final long HEADER_PAGE = 4096;

    @TempDir
    Path dataDir;

    @Test
    void aFullFileSystemRefusesTheCreateWithEnospcAndTheMapsItHoldsStayWhole() throws IOException {
        try (SmallTmpfs tmpfs = SmallTmpfs.mount(dataDir, "4m")) {
            EmulatedBackend backend = new EmulatedBackend(tmpfs.dir(), 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
            List<BpfMap> held = new ArrayList<>();
            try {
                // 4 MiB hold three files of 1 MiB + 4 KiB; a sparse file would take only its header page.
                BpfException refused = null;
                for (int i = 0; i < 8 && refused == null; i++) {
                    try {
                        held.add(backend.create(ONE_MIB));
                    } catch (BpfException e) {
                        refused = e;
                    }
                }
                assertThat(held).as("maps created on a 4 MiB tmpfs").hasSize(3);
                assertThat(refused.errno()).as(refused.getMessage()).isEqualTo(Errno.ENOSPC);
                assertThat(refused.operation()).isEqualTo("BPF_MAP_CREATE");
                assertThat(mapFiles(tmpfs.dir().resolve("anon"))).as("no file of the refused map is left").hasSize(3);

                // Every byte of every map that was made can be written and read back, on the full disk.
                byte[] pattern = new byte[MIB];
                for (int i = 0; i < pattern.length; i++) {
                    pattern[i] = (byte) (i * 31 + 7);
                }
                for (BpfMap map : held) {
                    try (Mapping mapping = map.mmap(0, MIB, true)) {
                        mapping.write(0, pattern, 0, MIB);
                        byte[] back = new byte[MIB];
                        mapping.read(0, back, 0, MIB);
                        assertThat(back).isEqualTo(pattern);
                    }
                    map.update(131071, new byte[]{1, 2, 3, 4, 5, 6, 7, 8}, UpdateFlag.ANY);
                    assertThat(map.lookup(131071)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
                    assertThat(map.lookup(0)).containsExactly(Arrays.copyOf(pattern, 8));
                }
                assertThrows(BpfException.class, () -> backend.create(ONE_MIB));

                // Freeing a map gives its room back.
                held.removeFirst().close();
                held.add(backend.create(ONE_MIB));
                assertThat(mapFiles(tmpfs.dir().resolve("anon"))).hasSize(3);
            } finally {
                held.forEach(BpfMap::close);
                backend.close();
            }
        }
    }

    @Test
    void aReadOnlyDataDirectoryRefusesTheCreateWithErofsAndLeavesNothing() throws IOException {
        EmulatedBackend backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
        try {
            try (ReadOnlyBindMount readOnly = ReadOnlyBindMount.of(dataDir.resolve("anon"))) {
                BpfException e = assertThrows(BpfException.class, () -> backend.create(ONE_MIB));
                assertThat(e.errno()).as(e.getMessage()).isEqualTo(Errno.EROFS);
                assertThat(e.operation()).isEqualTo("BPF_MAP_CREATE");
                assertThat(backend.liveMapCount()).isZero();
            }
            backend.create(ONE_MIB).close();
        } finally {
            backend.close();
        }
    }

    @Test
    void aPinOnAReadOnlyFileSystemIsRefusedWithErofsNotAsNoMap() throws IOException {
        Path pins = Files.createDirectory(dataDir.resolve("pins"));
        Path pin = pins.resolve("p");
        EmulatedBackend before = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
        try (BpfMap map = before.create(new MapSpec("ro", MapType.ARRAY, 4, 8, 16, 0, false))) {
            map.update(1, new byte[]{7, 0, 0, 0, 0, 0, 0, 0}, UpdateFlag.ANY);
            map.pin(pin);
        }
        before.close();

        EmulatedBackend after = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
        try {
            try (ReadOnlyBindMount readOnly = ReadOnlyBindMount.of(pins)) {
                // The kernel's BPF_OBJ_GET opens a pin read-write by default: on a read-only bpffs,
                // inode_permission is EROFS too.
                BpfException e = assertThrows(BpfException.class, () -> after.open(pin));
                assertThat(e.errno()).as(e.getMessage()).isEqualTo(Errno.EROFS);
                assertThat(e.operation()).isEqualTo("BPF_OBJ_GET");
                assertThat(after.liveMapCount()).isZero();
            }
            try (BpfMap map = after.open(pin)) {
                assertThat(map.lookup(1)).containsExactly(7, 0, 0, 0, 0, 0, 0, 0);
                map.unpin(pin);
            }
        } finally {
            after.close();
        }
    }

    @Test
    void aMapWhoseFileIsTruncatedIsRefusedWithEioAndNotFrozen() throws IOException {
        EmulatedBackend backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
        Path pin = dataDir.resolve("pinned");
        try (BpfMap map = backend.create(new MapSpec("t", MapType.ARRAY, 4, 8, 1024, MapFlag.MMAPABLE.bit(), false))) {
            map.update(3, new byte[]{3, 0, 0, 0, 0, 0, 0, 0}, UpdateFlag.ANY);
            map.pin(pin);
            Mapping mapping = map.mmap(0, 8192, true);
            truncate(pin, 0);

            assertEio(() -> map.lookup(3));
            assertEio(() -> map.update(3, new byte[8], UpdateFlag.ANY));
            assertEio(() -> mapping.read(0, new byte[8], 0, 8));
            assertEio(() -> mapping.write(0, new byte[8], 0, 8));
            assertEio(() -> mapping.readLong(24));
            assertEio(() -> map.mmap(0, 4096, false));
            mapping.close();
            assertEio(map::freeze);
            assertThat(map.info().frozen()).as("a refused freeze does not freeze").isFalse();
            assertEio(() -> map.pin(dataDir.resolve("again")));
            assertThat(dataDir.resolve("again")).doesNotExist();

            // It can still be looked at and removed.
            assertThat(map.info().spec().name()).isEqualTo("t");
            map.unpin(pin);
        }
        assertThat(backend.liveMapCount()).isZero();
        assertThat(mapFiles(dataDir.resolve("anon"))).isEmpty();
        backend.close();
    }

    @Test
    void aFreezeOfAMapWhoseDataWasCutOffIsRefusedAndTheHeaderKeepsItUnfrozen() throws IOException {
        EmulatedBackend backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
        Path pin = dataDir.resolve("pinned");
        try (BpfMap map = backend.create(new MapSpec("h", MapType.ARRAY, 4, 8, 1024, 0, false))) {
            map.pin(pin);
            // The header page stays: the frozen flag could be written, but the data is gone.
            truncate(pin, HEADER_PAGE);

            assertEio(map::freeze);
            assertThat(map.info().frozen()).isFalse();
            ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(pin)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(header.getInt((int) MapFile.OFF_FROZEN)).as("frozen flag in the file").isZero();
            assertEio(() -> map.lookup(0));
            map.unpin(pin);
        }
        backend.close();
    }

    @Test
    void aTruncatedPinIsNeverOpenedAgain() throws IOException {
        Path pin = dataDir.resolve("pinned");
        EmulatedBackend before = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
        try (BpfMap map = before.create(new MapSpec("o", MapType.ARRAY, 4, 8, 1024, 0, false))) {
            map.pin(pin);
        }
        before.close();
        long whole = Files.size(pin);

        // A restart: a new backend on the same data directory.
        EmulatedBackend after = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
        for (long size : new long[]{whole - 1, HEADER_PAGE, 100, 0}) {
            truncate(pin, size);
            BpfException e = assertThrows(BpfException.class, () -> after.open(pin));
            assertThat(e.errno()).as(e.getMessage()).isEqualTo(Errno.EINVAL);
        }
        assertThat(after.liveMapCount()).isZero();
        after.close();
    }

    private static void assertEio(Executable call) {
        BpfException e = assertThrows(BpfException.class, call);
        assertThat(e.errno()).as(e.getMessage()).isEqualTo(Errno.EIO);
        assertThat(e.getMessage()).contains("broken");
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    private static List<String> mapFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".map")).toList();
        }
    }
}
