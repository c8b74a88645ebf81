package io.bpfmapd.backend.kernel.sys;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One attr layout and one function per map command, as the anonymous structs of {@code union bpf_attr}
 * in include/uapi/linux/bpf.h (names as there). No logic: the kernel checks everything, and its errno
 * comes back as a {@link io.bpfmapd.backend.BpfException}.
 */
public final class MapCommands {

    /** BPF_OBJ_NAME_LEN. */
    static final int OBJ_NAME_LEN = 16;

    /** BPF_MAP_CREATE: the first anonymous struct of {@code union bpf_attr} (Linux 6.1's, all of it). */
    static final StructLayout MAP_CREATE_ATTR = structLayout(
            JAVA_INT.withName("map_type"),
            JAVA_INT.withName("key_size"),
            JAVA_INT.withName("value_size"),
            JAVA_INT.withName("max_entries"),
            JAVA_INT.withName("map_flags"),
            JAVA_INT.withName("inner_map_fd"),
            JAVA_INT.withName("numa_node"),
            MemoryLayout.sequenceLayout(OBJ_NAME_LEN, JAVA_BYTE).withName("map_name"),
            JAVA_INT.withName("map_ifindex"),
            JAVA_INT.withName("btf_fd"),
            JAVA_INT.withName("btf_key_type_id"),
            JAVA_INT.withName("btf_value_type_id"),
            JAVA_INT.withName("btf_vmlinux_value_type_id"),
            JAVA_LONG.withName("map_extra"));

    /**
     * BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM and BPF_MAP_DELETE_ELEM share one struct; {@code value}
     * is in a union with {@code next_key} (BPF_MAP_GET_NEXT_KEY), which this service does not send.
     */
    static final StructLayout MAP_LOOKUP_ELEM_ATTR = elemAttr();
    static final StructLayout MAP_UPDATE_ELEM_ATTR = elemAttr();
    static final StructLayout MAP_DELETE_ELEM_ATTR = elemAttr();

    /** BPF_MAP_FREEZE reads only {@code map_fd} (BPF_MAP_FREEZE_LAST_FIELD in kernel/bpf/syscall.c). */
    static final StructLayout MAP_FREEZE_ATTR = structLayout(JAVA_INT.withName("map_fd"));

    /**
     * BPF_MAP_LOOKUP_BATCH: {@code union bpf_attr}'s member {@code batch}, shared by the four batch
     * commands. {@code in_batch} and {@code out_batch} point at a key of the map's key_size.
     */
    static final StructLayout MAP_LOOKUP_BATCH_ATTR = structLayout(
            JAVA_LONG.withName("in_batch"),
            JAVA_LONG.withName("out_batch"),
            JAVA_LONG.withName("keys"),
            JAVA_LONG.withName("values"),
            JAVA_INT.withName("count"),
            JAVA_INT.withName("map_fd"),
            JAVA_LONG.withName("elem_flags"),
            JAVA_LONG.withName("flags"));

    private static final VarHandle CREATE_MAP_TYPE = Bpf.field(MAP_CREATE_ATTR, "map_type");
    private static final VarHandle CREATE_KEY_SIZE = Bpf.field(MAP_CREATE_ATTR, "key_size");
    private static final VarHandle CREATE_VALUE_SIZE = Bpf.field(MAP_CREATE_ATTR, "value_size");
    private static final VarHandle CREATE_MAX_ENTRIES = Bpf.field(MAP_CREATE_ATTR, "max_entries");
    private static final VarHandle CREATE_MAP_FLAGS = Bpf.field(MAP_CREATE_ATTR, "map_flags");
    private static final long CREATE_MAP_NAME = Bpf.offset(MAP_CREATE_ATTR, "map_name");
    private static final VarHandle CREATE_BTF_FD = Bpf.field(MAP_CREATE_ATTR, "btf_fd");
    private static final VarHandle CREATE_BTF_KEY_TYPE_ID = Bpf.field(MAP_CREATE_ATTR, "btf_key_type_id");
    private static final VarHandle CREATE_BTF_VALUE_TYPE_ID = Bpf.field(MAP_CREATE_ATTR, "btf_value_type_id");

    // One struct, so the handles of one serve all three elem commands.
    private static final VarHandle ELEM_MAP_FD = Bpf.field(MAP_LOOKUP_ELEM_ATTR, "map_fd");
    private static final VarHandle ELEM_KEY = Bpf.field(MAP_LOOKUP_ELEM_ATTR, "key");
    private static final VarHandle ELEM_VALUE = Bpf.field(MAP_LOOKUP_ELEM_ATTR, "value");
    private static final VarHandle ELEM_FLAGS = Bpf.field(MAP_LOOKUP_ELEM_ATTR, "flags");

    private static final VarHandle BATCH_IN_BATCH = Bpf.field(MAP_LOOKUP_BATCH_ATTR, "in_batch");
    private static final VarHandle BATCH_OUT_BATCH = Bpf.field(MAP_LOOKUP_BATCH_ATTR, "out_batch");
    private static final VarHandle BATCH_KEYS = Bpf.field(MAP_LOOKUP_BATCH_ATTR, "keys");
    private static final VarHandle BATCH_VALUES = Bpf.field(MAP_LOOKUP_BATCH_ATTR, "values");
    private static final VarHandle BATCH_COUNT = Bpf.field(MAP_LOOKUP_BATCH_ATTR, "count");
    private static final VarHandle BATCH_MAP_FD = Bpf.field(MAP_LOOKUP_BATCH_ATTR, "map_fd");

    private static final VarHandle FREEZE_MAP_FD = Bpf.field(MAP_FREEZE_ATTR, "map_fd");

    private MapCommands() {
    }

    private static StructLayout elemAttr() {
        return structLayout(
                JAVA_INT.withName("map_fd"),
                paddingLayout(4),
                JAVA_LONG.withName("key"),
                JAVA_LONG.withName("value"),
                JAVA_LONG.withName("flags"));
    }

    /** BPF_MAP_CREATE. */
    public static Fd create(MapCreateAttr a) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = Bpf.attr(arena, MAP_CREATE_ATTR);
            CREATE_MAP_TYPE.set(attr, 0L, a.mapType());
            CREATE_KEY_SIZE.set(attr, 0L, a.keySize());
            CREATE_VALUE_SIZE.set(attr, 0L, a.valueSize());
            CREATE_MAX_ENTRIES.set(attr, 0L, a.maxEntries());
            CREATE_MAP_FLAGS.set(attr, 0L, a.mapFlags());
            byte[] name = a.name() == null ? new byte[0] : a.name().getBytes(StandardCharsets.US_ASCII);
            // Up to all 16 bytes: a name that leaves no room for the NUL is the kernel's to refuse
            // (EINVAL from bpf_obj_name_cpy, after the checks that precede it in map_create).
            MemorySegment.copy(name, 0, attr, JAVA_BYTE, CREATE_MAP_NAME, Math.min(name.length, OBJ_NAME_LEN));
            if (a.btfFd() >= 0) {
                CREATE_BTF_FD.set(attr, 0L, a.btfFd());
                CREATE_BTF_KEY_TYPE_ID.set(attr, 0L, a.btfKeyTypeId());
                CREATE_BTF_VALUE_TYPE_ID.set(attr, 0L, a.btfValueTypeId());
            }
            return new Fd((int) Bpf.call(arena, Bpf.MAP_CREATE, attr, "BPF_MAP_CREATE"));
        }
    }

    /** BPF_MAP_LOOKUP_ELEM of a u32 key into a buffer of {@code valueBytes}. */
    public static byte[] lookup(int mapFd, int key, int valueBytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(valueBytes, 8);
            MemorySegment attr = elem(arena, MAP_LOOKUP_ELEM_ATTR, mapFd, key, value, 0);
            Bpf.call(arena, Bpf.MAP_LOOKUP_ELEM, attr, "BPF_MAP_LOOKUP_ELEM");
            return value.toArray(JAVA_BYTE);
        }
    }

    /** BPF_MAP_UPDATE_ELEM of a u32 key; {@code value} must be as long as the kernel reads. */
    public static void update(int mapFd, int key, byte[] value, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment valueSeg = arena.allocate(Math.max(value.length, 1), 8);
            MemorySegment.copy(value, 0, valueSeg, JAVA_BYTE, 0, value.length);
            MemorySegment attr = elem(arena, MAP_UPDATE_ELEM_ATTR, mapFd, key, valueSeg, flags);
            Bpf.call(arena, Bpf.MAP_UPDATE_ELEM, attr, "BPF_MAP_UPDATE_ELEM");
        }
    }

    /** BPF_MAP_DELETE_ELEM of a u32 key. */
    public static void delete(int mapFd, int key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = elem(arena, MAP_DELETE_ELEM_ATTR, mapFd, key, MemorySegment.NULL, 0);
            Bpf.call(arena, Bpf.MAP_DELETE_ELEM, attr, "BPF_MAP_DELETE_ELEM");
        }
    }

    /**
     * What BPF_MAP_LOOKUP_BATCH wrote back: {@code count} values of {@code valueBytes} each, the last key
     * copied ({@code out_batch}, meaningful when count > 0), and whether the kernel answered ENOENT.
     */
    public record Batch(int count, byte[] values, int outBatch, boolean enoent) {
    }

    /**
     * BPF_MAP_LOOKUP_BATCH of up to {@code count} u32 keys after {@code inBatch} (from the first key when
     * {@code hasInBatch} is false), values of {@code valueBytes} each. ENOENT, "no key after the last one
     * copied", is returned as {@link Batch#enoent()}: generic_map_lookup_batch (kernel/bpf/syscall.c)
     * writes count and out_batch before it returns it, so the values before the end are valid.
     */
    public static Batch lookupBatch(int mapFd, boolean hasInBatch, int inBatch, int count, int valueBytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(JAVA_INT);
            in.set(JAVA_INT, 0, inBatch);
            MemorySegment out = arena.allocate(JAVA_INT);
            MemorySegment keys = arena.allocate(JAVA_INT, Math.max(count, 1));
            MemorySegment values = arena.allocate((long) valueBytes * Math.max(count, 1), 8);
            MemorySegment attr = Bpf.attr(arena, MAP_LOOKUP_BATCH_ATTR);
            BATCH_IN_BATCH.set(attr, 0L, hasInBatch ? in.address() : 0L);
            BATCH_OUT_BATCH.set(attr, 0L, out.address());
            BATCH_KEYS.set(attr, 0L, keys.address());
            BATCH_VALUES.set(attr, 0L, values.address());
            BATCH_COUNT.set(attr, 0L, count);
            BATCH_MAP_FD.set(attr, 0L, mapFd);
            boolean enoent = false;
            try {
                Bpf.call(arena, Bpf.MAP_LOOKUP_BATCH, attr, "BPF_MAP_LOOKUP_BATCH");
            } catch (BpfException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
                enoent = true;
            }
            int copied = (int) BATCH_COUNT.get(attr, 0L);
            return new Batch(copied, values.asSlice(0, (long) valueBytes * copied).toArray(JAVA_BYTE),
                    out.get(JAVA_INT, 0), enoent);
        }
    }

    /** BPF_MAP_FREEZE. */
    public static void freeze(int mapFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = Bpf.attr(arena, MAP_FREEZE_ATTR);
            FREEZE_MAP_FD.set(attr, 0L, mapFd);
            Bpf.call(arena, Bpf.MAP_FREEZE, attr, "BPF_MAP_FREEZE");
        }
    }

    private static MemorySegment elem(Arena arena, StructLayout layout, int mapFd, int key, MemorySegment value, long flags) {
        MemorySegment keySeg = arena.allocate(JAVA_INT);
        keySeg.set(JAVA_INT, 0, key);
        MemorySegment attr = Bpf.attr(arena, layout);
        ELEM_MAP_FD.set(attr, 0L, mapFd);
        ELEM_KEY.set(attr, 0L, keySeg.address());
        ELEM_VALUE.set(attr, 0L, value.address());
        ELEM_FLAGS.set(attr, 0L, flags);
        return attr;
    }
}
