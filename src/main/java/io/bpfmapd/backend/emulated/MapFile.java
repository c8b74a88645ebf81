package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.IoErrno;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The backing file of an emulated map: one header page (of the backend's page size), then the data area, mapped MAP_SHARED so
 * that a hard link of the file (a pin) sees the same pages, and so that they survive the process,
 * even a {@code kill -9}, in the page cache.
 *
 * <p>Header (little-endian): magic {@code "BPFMAPD\0"} at 0, version at 8, map type at 12, key size
 * at 16, value size at 20, max entries at 24, map flags at 28, spin lock (0/1) at 32, CPU count at 36,
 * frozen (0/1) at 40, name (16 bytes, NUL-padded) at 48, data offset (u64) at 64, data size (u64) at 72.
 */
final class MapFile {

    static final long MAGIC = 0x0044_5041_4d46_5042L; // "BPFMAPD\0" read as a little-endian u64
    static final int VERSION = 1;

    static final long OFF_MAGIC = 0;
    static final long OFF_VERSION = 8;
    static final long OFF_TYPE = 12;
    static final long OFF_KEY_SIZE = 16;
    static final long OFF_VALUE_SIZE = 20;
    static final long OFF_MAX_ENTRIES = 24;
    static final long OFF_FLAGS = 28;
    static final long OFF_SPIN_LOCK = 32;
    static final long OFF_CPUS = 36;
    static final long OFF_FROZEN = 40;
    static final long OFF_NAME = 48;
    static final long OFF_DATA_OFFSET = 64;
    static final long OFF_DATA_SIZE = 72;
    /** The header's fields end here, well inside the smallest page. */
    static final long HEADER_FIELDS = 80;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    /** Shared, read-only: each {@link #reserve} writes from a duplicate with its own position. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(256 * 1024).asReadOnlyBuffer();

    private MapFile() {
    }

    /**
     * Creates a new zero-filled file, its blocks reserved, and maps it; the header is written, data
     * left zero. Fails with an {@link IOException} (ENOSPC, see {@link IoErrno}) when
     * the file system cannot hold the whole file; the caller deletes what was written.
     */
    static MemorySegment create(Path file, MapSpec spec, MapLayout layout, Arena arena) throws IOException {
        MemorySegment whole;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            reserve(ch, layout.fileSize());
            whole = ch.map(FileChannel.MapMode.READ_WRITE, 0, layout.fileSize(), arena);
        }
        whole.set(LONG, OFF_MAGIC, MAGIC);
        whole.set(INT, OFF_VERSION, VERSION);
        whole.set(INT, OFF_TYPE, spec.type().kernelType());
        whole.set(INT, OFF_KEY_SIZE, spec.keySize());
        whole.set(INT, OFF_VALUE_SIZE, spec.valueSize());
        whole.set(INT, OFF_MAX_ENTRIES, spec.maxEntries());
        whole.set(INT, OFF_FLAGS, spec.flags());
        whole.set(INT, OFF_SPIN_LOCK, spec.valueHasSpinLock() ? 1 : 0);
        whole.set(INT, OFF_CPUS, layout.cpus());
        whole.set(INT, OFF_FROZEN, 0);
        byte[] name = spec.name().getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(name, 0, whole, ValueLayout.JAVA_BYTE, OFF_NAME, name.length);
        whole.set(LONG, OFF_DATA_OFFSET, layout.headerSize());
        whole.set(LONG, OFF_DATA_SIZE, layout.dataSize());
        return whole;
    }

    /**
     * Writes zeros over the whole file through write(2), so that the file system allocates every
     * block now (tmpfs and ext4 do; ext4 reserves them at the write, under delayed allocation) and says
     * ENOSPC now if it cannot. A sparse file would be allocated only when a store through the mapping
     * first touches a page, and a page the file system cannot allocate then is a SIGBUS in the middle of
     * a write. Java has no fallocate(2); a file system that turns zero blocks back into holes (ZFS
     * with compression) defeats this, and a fault is then answered as {@link MapFaults} says.
     */
    private static void reserve(FileChannel ch, long size) throws IOException {
        ByteBuffer zeros = ZEROS.duplicate();
        long at = 0;
        while (at < size) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
            at += ch.write(zeros, at);
        }
    }

    /** What {@link #open} found in a file's header. */
    record Opened(MapSpec spec, MapLayout layout, MemorySegment whole, boolean frozen) {
    }

    /**
     * Maps an existing map file after checking that it is one: ENOENT when there is no file,
     * EINVAL when it is not an emulated map this backend can serve (bad magic, version, size, spec,
     * CPU count or page size).
     */
    static Opened open(Path file, int cpus, long pageSize, Arena arena) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size < HEADER_FIELDS) {
                throw notAMap(file, "shorter than the header");
            }
            MemorySegment header = ch.map(FileChannel.MapMode.READ_ONLY, 0, HEADER_FIELDS, arena);
            if (header.get(LONG, OFF_MAGIC) != MAGIC) {
                throw notAMap(file, "bad magic");
            }
            if (header.get(INT, OFF_VERSION) != VERSION) {
                throw notAMap(file, "unknown version " + header.get(INT, OFF_VERSION));
            }
            MapType type = MapType.ofKernelType(header.get(INT, OFF_TYPE))
                    .orElseThrow(() -> notAMap(file, "not an array map"));
            byte[] nameBytes = new byte[CreateRules.OBJ_NAME_LEN];
            MemorySegment.copy(header, ValueLayout.JAVA_BYTE, OFF_NAME, nameBytes, 0, nameBytes.length);
            int nameLen = 0;
            while (nameLen < nameBytes.length && nameBytes[nameLen] != 0) {
                nameLen++;
            }
            MapSpec spec = new MapSpec(new String(nameBytes, 0, nameLen, StandardCharsets.US_ASCII), type,
                    header.get(INT, OFF_KEY_SIZE), header.get(INT, OFF_VALUE_SIZE), header.get(INT, OFF_MAX_ENTRIES),
                    header.get(INT, OFF_FLAGS), header.get(INT, OFF_SPIN_LOCK) != 0);
            int fileCpus = header.get(INT, OFF_CPUS);
            // A per-CPU map's layout depends on the CPU count: it cannot be read with another one.
            if (fileCpus != cpus && (fileCpus < 1 || MapGeometry.of(spec, fileCpus, pageSize).stride()
                    != MapGeometry.of(spec, cpus, pageSize).stride())) {
                throw notAMap(file, "per-CPU map written with " + fileCpus + " CPUs, this backend has " + cpus);
            }
            try {
                CreateRules.check(spec, 0, Long.MAX_VALUE);
            } catch (BpfException e) {
                throw notAMap(file, "its spec is not one BPF_MAP_CREATE accepts: " + e.getMessage());
            }
            MapLayout layout = new MapLayout(MapGeometry.of(spec, cpus, pageSize));
            if (header.get(LONG, OFF_DATA_OFFSET) != layout.headerSize()) {
                throw notAMap(file, "written with " + header.get(LONG, OFF_DATA_OFFSET) + "-byte pages, this backend has "
                        + pageSize);
            }
            if (header.get(LONG, OFF_DATA_SIZE) != layout.dataSize() || size != layout.fileSize()) {
                throw notAMap(file, "size " + size + " does not match its spec");
            }
            MemorySegment whole = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            return new Opened(spec, layout, whole, whole.get(INT, OFF_FROZEN) != 0);
        } catch (NoSuchFileException e) {
            throw new BpfException(Errno.ENOENT, EmulatedBackend.OP_OBJ_GET, "nothing pinned at " + file);
        } catch (IOException e) {
            // The open's own errno (EROFS: the file is opened for writing, as BPF_OBJ_GET's default
            // read-write open of a pin needs write permission; EACCES...). One it does not name is the
            // mapping's ("Map failed"): the kernel's ENOMEM.
            Errno errno = IoErrno.of(e);
            throw new BpfException(errno == Errno.EUNKNOWN ? Errno.ENOMEM : errno, EmulatedBackend.OP_OBJ_GET,
                    "cannot open " + file + ": " + e.getMessage());
        }
    }

    static MemorySegment data(MemorySegment whole, MapLayout layout) {
        return whole.asSlice(layout.headerSize(), layout.dataSize());
    }

    static void markFrozen(MemorySegment whole) {
        whole.set(INT, OFF_FROZEN, 1);
    }

    private static BpfException notAMap(Path file, String why) {
        return new BpfException(Errno.EINVAL, EmulatedBackend.OP_OBJ_GET, file + " is not an emulated array map: " + why);
    }
}
