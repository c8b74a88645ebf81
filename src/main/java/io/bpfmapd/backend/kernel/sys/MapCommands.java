package io.bpfmapd.backend.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One function per map command; attr offsets from include/uapi/linux/bpf.h. No logic: the kernel
 * checks everything, and its errno comes back as a {@link io.bpfmapd.backend.BpfException}.
 */
public final class MapCommands {

    private static final int NAME_LEN = 16; // BPF_OBJ_NAME_LEN

    private MapCommands() {
    }

    /** BPF_MAP_CREATE. */
    public static Fd create(MapCreateAttr a) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = Bpf.attr(arena);
            attr.set(JAVA_INT, 0, a.mapType());
            attr.set(JAVA_INT, 4, a.keySize());
            attr.set(JAVA_INT, 8, a.valueSize());
            attr.set(JAVA_INT, 12, a.maxEntries());
            attr.set(JAVA_INT, 16, a.mapFlags());
            byte[] name = a.name() == null ? new byte[0] : a.name().getBytes(StandardCharsets.US_ASCII);
            // Up to all 16 bytes: a name that leaves no room for the NUL is the kernel's to refuse
            // (EINVAL from bpf_obj_name_cpy, after the checks that precede it in map_create).
            MemorySegment.copy(name, 0, attr, JAVA_BYTE, 28, Math.min(name.length, NAME_LEN));
            if (a.btfFd() >= 0) {
                attr.set(JAVA_INT, 48, a.btfFd());
                attr.set(JAVA_INT, 52, a.btfKeyTypeId());
                attr.set(JAVA_INT, 56, a.btfValueTypeId());
            }
            return new Fd((int) Bpf.call(arena, Bpf.MAP_CREATE, attr, "BPF_MAP_CREATE"));
        }
    }

    /** BPF_MAP_LOOKUP_ELEM of a u32 key into a buffer of {@code valueBytes}. */
    public static byte[] lookup(int mapFd, int key, int valueBytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment keySeg = arena.allocate(JAVA_INT);
            keySeg.set(JAVA_INT, 0, key);
            MemorySegment value = arena.allocate(valueBytes, 8);
            MemorySegment attr = elemAttr(arena, mapFd, keySeg, value, 0);
            Bpf.call(arena, Bpf.MAP_LOOKUP_ELEM, attr, "BPF_MAP_LOOKUP_ELEM");
            return value.toArray(JAVA_BYTE);
        }
    }

    /** BPF_MAP_UPDATE_ELEM of a u32 key; {@code value} must be as long as the kernel reads. */
    public static void update(int mapFd, int key, byte[] value, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment keySeg = arena.allocate(JAVA_INT);
            keySeg.set(JAVA_INT, 0, key);
            MemorySegment valueSeg = arena.allocate(Math.max(value.length, 1), 8);
            MemorySegment.copy(value, 0, valueSeg, JAVA_BYTE, 0, value.length);
            MemorySegment attr = elemAttr(arena, mapFd, keySeg, valueSeg, flags);
            Bpf.call(arena, Bpf.MAP_UPDATE_ELEM, attr, "BPF_MAP_UPDATE_ELEM");
        }
    }

    /** BPF_MAP_DELETE_ELEM of a u32 key. */
    public static void delete(int mapFd, int key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment keySeg = arena.allocate(JAVA_INT);
            keySeg.set(JAVA_INT, 0, key);
            MemorySegment attr = elemAttr(arena, mapFd, keySeg, MemorySegment.NULL, 0);
            Bpf.call(arena, Bpf.MAP_DELETE_ELEM, attr, "BPF_MAP_DELETE_ELEM");
        }
    }

    /** BPF_MAP_FREEZE. */
    public static void freeze(int mapFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = Bpf.attr(arena);
            attr.set(JAVA_INT, 0, mapFd);
            Bpf.call(arena, Bpf.MAP_FREEZE, attr, "BPF_MAP_FREEZE");
        }
    }

    /** BPF_MAP_GET_FD_BY_ID: a new read-write fd for a live map, ENOENT once it is freed. */
    public static Fd getFdById(int id) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = Bpf.attr(arena);
            attr.set(JAVA_INT, 0, id);
            return new Fd((int) Bpf.call(arena, Bpf.MAP_GET_FD_BY_ID, attr, "BPF_MAP_GET_FD_BY_ID"));
        }
    }

    private static MemorySegment elemAttr(Arena arena, int mapFd, MemorySegment key, MemorySegment value, long flags) {
        MemorySegment attr = Bpf.attr(arena);
        attr.set(JAVA_INT, 0, mapFd);
        attr.set(JAVA_LONG, 8, key.address());
        attr.set(JAVA_LONG, 16, value.address());
        attr.set(JAVA_LONG, 24, flags);
        return attr;
    }
}
