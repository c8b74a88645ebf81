package io.bpfmapd.backend.kernel.sys;

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
 * BPF_OBJ_PIN, BPF_OBJ_GET and BPF_OBJ_GET_INFO_BY_FD (for maps; BtfCommands asks it of BTF objects): one attr layout and one function per
 * command, names as in include/uapi/linux/bpf.h.
 */
public final class ObjCommands {

    /** BPF_OBJ_PIN: the anonymous "BPF_OBJ_*" struct of {@code union bpf_attr}. */
    static final StructLayout OBJ_PIN_ATTR = objAttr();
    /** BPF_OBJ_GET: the same struct as BPF_OBJ_PIN. */
    static final StructLayout OBJ_GET_ATTR = objAttr();

    /** BPF_OBJ_GET_INFO_BY_FD: {@code union bpf_attr}'s member {@code info}. */
    static final StructLayout OBJ_GET_INFO_BY_FD_ATTR = structLayout(
            JAVA_INT.withName("bpf_fd"),
            JAVA_INT.withName("info_len"),
            JAVA_LONG.withName("info"));

    /**
     * {@code struct bpf_map_info} as in Linux 6.1. A newer kernel's is longer and copies only what is
     * asked for; an older one's shorter, and then it requires the bytes it does not know to be zero
     * (bpf_check_uarg_tail_zero), which they are.
     */
    static final StructLayout BPF_MAP_INFO = structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("id"),
            JAVA_INT.withName("key_size"),
            JAVA_INT.withName("value_size"),
            JAVA_INT.withName("max_entries"),
            JAVA_INT.withName("map_flags"),
            MemoryLayout.sequenceLayout(MapCommands.OBJ_NAME_LEN, JAVA_BYTE).withName("name"),
            JAVA_INT.withName("ifindex"),
            JAVA_INT.withName("btf_vmlinux_value_type_id"),
            JAVA_LONG.withName("netns_dev"),
            JAVA_LONG.withName("netns_ino"),
            JAVA_INT.withName("btf_id"),
            JAVA_INT.withName("btf_key_type_id"),
            JAVA_INT.withName("btf_value_type_id"),
            paddingLayout(4),
            JAVA_LONG.withName("map_extra"));

    private static final VarHandle OBJ_PATHNAME = Bpf.field(OBJ_PIN_ATTR, "pathname");
    private static final VarHandle OBJ_BPF_FD = Bpf.field(OBJ_PIN_ATTR, "bpf_fd");
    private static final VarHandle OBJ_FILE_FLAGS = Bpf.field(OBJ_PIN_ATTR, "file_flags");

    private static final VarHandle INFO_BPF_FD = Bpf.field(OBJ_GET_INFO_BY_FD_ATTR, "bpf_fd");
    private static final VarHandle INFO_INFO_LEN = Bpf.field(OBJ_GET_INFO_BY_FD_ATTR, "info_len");
    private static final VarHandle INFO_INFO = Bpf.field(OBJ_GET_INFO_BY_FD_ATTR, "info");

    private static final VarHandle MAP_INFO_TYPE = Bpf.field(BPF_MAP_INFO, "type");
    private static final VarHandle MAP_INFO_ID = Bpf.field(BPF_MAP_INFO, "id");
    private static final VarHandle MAP_INFO_KEY_SIZE = Bpf.field(BPF_MAP_INFO, "key_size");
    private static final VarHandle MAP_INFO_VALUE_SIZE = Bpf.field(BPF_MAP_INFO, "value_size");
    private static final VarHandle MAP_INFO_MAX_ENTRIES = Bpf.field(BPF_MAP_INFO, "max_entries");
    private static final VarHandle MAP_INFO_MAP_FLAGS = Bpf.field(BPF_MAP_INFO, "map_flags");
    private static final long MAP_INFO_NAME = Bpf.offset(BPF_MAP_INFO, "name");
    private static final VarHandle MAP_INFO_BTF_ID = Bpf.field(BPF_MAP_INFO, "btf_id");
    private static final VarHandle MAP_INFO_BTF_KEY_TYPE_ID = Bpf.field(BPF_MAP_INFO, "btf_key_type_id");
    private static final VarHandle MAP_INFO_BTF_VALUE_TYPE_ID = Bpf.field(BPF_MAP_INFO, "btf_value_type_id");

    private ObjCommands() {
    }

    private static StructLayout objAttr() {
        return structLayout(
                JAVA_LONG.withName("pathname"),
                JAVA_INT.withName("bpf_fd"),
                JAVA_INT.withName("file_flags"));
    }

    /** BPF_OBJ_PIN of {@code fd} at {@code path} in a bpffs. */
    public static void pin(int fd, String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = Bpf.attr(arena, OBJ_PIN_ATTR);
            OBJ_PATHNAME.set(attr, 0L, Bpf.cString(arena, path).address());
            OBJ_BPF_FD.set(attr, 0L, fd);
            Bpf.call(arena, Bpf.OBJ_PIN, attr, "BPF_OBJ_PIN");
        }
    }

    /** BPF_OBJ_GET of the object pinned at {@code path}; {@code fileFlags} 0 asks for read-write. */
    public static Fd get(String path, int fileFlags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = Bpf.attr(arena, OBJ_GET_ATTR);
            OBJ_PATHNAME.set(attr, 0L, Bpf.cString(arena, path).address());
            OBJ_FILE_FLAGS.set(attr, 0L, fileFlags);
            return new Fd((int) Bpf.call(arena, Bpf.OBJ_GET, attr, "BPF_OBJ_GET"));
        }
    }

    /** BPF_OBJ_GET_INFO_BY_FD on a map fd. */
    public static KernelMapInfo mapInfo(int mapFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(BPF_MAP_INFO);
            infoByFd(arena, mapFd, info);
            byte[] name = info.asSlice(MAP_INFO_NAME, MapCommands.OBJ_NAME_LEN).toArray(JAVA_BYTE);
            int len = 0;
            while (len < name.length && name[len] != 0) {
                len++;
            }
            return new KernelMapInfo((int) MAP_INFO_TYPE.get(info, 0L), (int) MAP_INFO_ID.get(info, 0L),
                    (int) MAP_INFO_KEY_SIZE.get(info, 0L), (int) MAP_INFO_VALUE_SIZE.get(info, 0L),
                    (int) MAP_INFO_MAX_ENTRIES.get(info, 0L), (int) MAP_INFO_MAP_FLAGS.get(info, 0L),
                    new String(name, 0, len, StandardCharsets.US_ASCII),
                    (int) MAP_INFO_BTF_ID.get(info, 0L), (int) MAP_INFO_BTF_KEY_TYPE_ID.get(info, 0L),
                    (int) MAP_INFO_BTF_VALUE_TYPE_ID.get(info, 0L));
        }
    }

    /** BPF_OBJ_GET_INFO_BY_FD into {@code info}, the info struct of the object's kind (map, BTF, ...). */
    static void infoByFd(Arena arena, int fd, MemorySegment info) {
        MemorySegment attr = Bpf.attr(arena, OBJ_GET_INFO_BY_FD_ATTR);
        INFO_BPF_FD.set(attr, 0L, fd);
        INFO_INFO_LEN.set(attr, 0L, Math.toIntExact(info.byteSize()));
        INFO_INFO.set(attr, 0L, info.address());
        Bpf.call(arena, Bpf.OBJ_GET_INFO_BY_FD, attr, "BPF_OBJ_GET_INFO_BY_FD");
    }
}
