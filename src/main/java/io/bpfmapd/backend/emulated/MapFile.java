package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
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
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The backing file of an emulated map: one header page (of the backend's page size), then the data area, mapped MAP_SHARED so
 * that a hard link of the file (a pin) sees the same pages, and so that they survive the process,
 * even a {@code kill -9}, in the page cache.
 *
 * <p>Header (little-endian): magic {@code "BPFMAPD\0"} at 0, version at 8, map type at 12, key size
 * at 16, value size at 20, max entries at 24, map flags at 28, special fields (0/1) at 32, CPU count at 36,
 * frozen (0/1) at 40, name (16 bytes, NUL-padded) at 48, data offset (u64) at 64, data size (u64) at 72;
 * since version 2, the BTF key type id at 80, value type id at 84, the BTF blob's length at 88 (0: no
 * BTF) and the blob itself at 96, the header running on to as many pages as that takes.
 *
 * <p>Version 1 (before BTF) files still open: they end at 80, their header is one page, and their
 * spin lock flag means {@link io.bpfmapd.backend.SpinLockBtf}'s BTF, which is what they modelled.
 */
final class MapFile {

    static final long MAGIC = 0x0044_5041_4d46_5042L; // "BPFMAPD\0" read as a little-endian u64
    static final int VERSION = 2;
    static final int VERSION_1 = 1;

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
    static final long OFF_BTF_KEY_TYPE_ID = 80;
    static final long OFF_BTF_VALUE_TYPE_ID = 84;
    static final long OFF_BTF_SIZE = 88;
    static final long OFF_BTF = 96;
    /** A version-1 header's fields end here. */
    static final long HEADER_FIELDS_V1 = 80;
    /** The header's fixed fields end here, well inside the smallest page; the BTF blob follows. */
    static final long HEADER_FIELDS = OFF_BTF;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    /** Shared, read-only: each {@link #reserve} writes from a duplicate with its own position. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(256 * 1024).asReadOnlyBuffer();

    private MapFile() {
    }

    /**
     * Creates a new zero-filled file, its blocks reserved, and maps it; the header is written, data
     * left zero. Fails with an {@link IOException} (see {@link #outOfSpace}) when the file system cannot
     * hold the whole file; the caller deletes what was written.
     */
    static MemorySegment create(Path file, MapSpec spec, MapBtf btf, MapLayout layout, Arena arena)
            throws IOException {
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
        if (btf != null) {
            byte[] blob = btf.blob();
            whole.set(INT, OFF_BTF_KEY_TYPE_ID, btf.keyTypeId());
            whole.set(INT, OFF_BTF_VALUE_TYPE_ID, btf.valueTypeId());
            whole.set(INT, OFF_BTF_SIZE, blob.length);
            MemorySegment.copy(blob, 0, whole, ValueLayout.JAVA_BYTE, OFF_BTF, blob.length);
        }
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

    /**
     * Whether an I/O failure says the file system is full (ENOSPC, or EDQUOT for a quota). Java gives
     * the errno only as its strerror text, the reason of a {@link FileSystemException} or the message
     * of a plain {@link IOException} from a write.
     */
    static boolean outOfSpace(IOException e) {
        String reason = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        return reason != null && (reason.contains("No space left on device") || reason.contains("Disk quota exceeded"));
    }

    /** What {@link #open} found in a file's header. */
    record Opened(MapSpec spec, MapBtf btf, SpecialFields fields, MapLayout layout, MemorySegment whole, boolean frozen) {
    }

    /**
     * Maps an existing map file after checking that it is one: ENOENT when there is no file,
     * EINVAL when it is not an emulated map this backend can serve (bad magic, version, size, spec,
     * CPU count or page size).
     */
    static Opened open(Path file, int cpus, long pageSize, Arena arena) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size < HEADER_FIELDS_V1) {
                throw notAMap(file, "shorter than the header");
            }
            MemorySegment header = ch.map(FileChannel.MapMode.READ_ONLY, 0, HEADER_FIELDS_V1, arena);
            if (header.get(LONG, OFF_MAGIC) != MAGIC) {
                throw notAMap(file, "bad magic");
            }
            int version = header.get(INT, OFF_VERSION);
            if (version != VERSION && version != VERSION_1) {
                throw notAMap(file, "unknown version " + version);
            }
            MapBtf btf = null;
            int btfBytes = 0;
            if (version == VERSION) {
                if (size < HEADER_FIELDS) {
                    throw notAMap(file, "shorter than the header");
                }
                header = ch.map(FileChannel.MapMode.READ_ONLY, 0, HEADER_FIELDS, arena);
                btfBytes = header.get(INT, OFF_BTF_SIZE);
                if (btfBytes < 0 || btfBytes > size - HEADER_FIELDS) {
                    throw notAMap(file, "a BTF blob of " + Integer.toUnsignedString(btfBytes) + " bytes does not fit");
                }
                if (btfBytes > 0) {
                    byte[] blob = ch.map(FileChannel.MapMode.READ_ONLY, OFF_BTF, btfBytes, arena).toArray(ValueLayout.JAVA_BYTE);
                    btf = new MapBtf(blob, 0, header.get(INT, OFF_BTF_KEY_TYPE_ID), header.get(INT, OFF_BTF_VALUE_TYPE_ID));
                }
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
                    header.get(INT, OFF_FLAGS), btf == null && header.get(INT, OFF_SPIN_LOCK) != 0, btf);
            int fileCpus = header.get(INT, OFF_CPUS);
            // A per-CPU map's layout depends on the CPU count: it cannot be read with another one.
            if (fileCpus != cpus && (fileCpus < 1 || MapGeometry.of(spec, fileCpus, pageSize).stride()
                    != MapGeometry.of(spec, cpus, pageSize).stride())) {
                throw notAMap(file, "per-CPU map written with " + fileCpus + " CPUs, this backend has " + cpus);
            }
            CreateRules.Checked checked;
            try {
                checked = CreateRules.check(spec, 0, Long.MAX_VALUE);
            } catch (BpfException e) {
                throw notAMap(file, "its spec is not one BPF_MAP_CREATE accepts: " + e.getMessage());
            }
            spec = spec.created(spec.name(), !checked.fields().isEmpty());
            MapLayout layout = MapLayout.of(MapGeometry.of(spec, cpus, pageSize), btfBytes);
            if (header.get(LONG, OFF_DATA_OFFSET) != layout.headerSize()) {
                throw notAMap(file, "written with " + header.get(LONG, OFF_DATA_OFFSET) + "-byte pages, this backend has "
                        + pageSize);
            }
            if (header.get(LONG, OFF_DATA_SIZE) != layout.dataSize() || size != layout.fileSize()) {
                throw notAMap(file, "size " + size + " does not match its spec");
            }
            MemorySegment whole = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            return new Opened(spec, checked.btf(), checked.fields(), layout, whole, whole.get(INT, OFF_FROZEN) != 0);
        } catch (NoSuchFileException e) {
            throw new BpfException(Errno.ENOENT, EmulatedBackend.OP_OBJ_GET, "nothing pinned at " + file);
        } catch (IOException e) {
            throw notAMap(file, e.toString());
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
