package io.bpfmapd.backend.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** BPF_OBJ_PIN, BPF_OBJ_GET and BPF_OBJ_GET_INFO_BY_FD (for maps); attr offsets from include/uapi/linux/bpf.h. */
public final class ObjCommands {

    /** Bytes of {@code struct bpf_map_info} asked for: up to and including btf_vmlinux_id. */
    private static final int MAP_INFO_LEN = 80;

    private ObjCommands() {
    }

    /** BPF_OBJ_PIN of {@code fd} at {@code path} in a bpffs. */
    public static void pin(int fd, String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = Bpf.attr(arena);
            attr.set(JAVA_LONG, 0, Bpf.cString(arena, path).address());
            attr.set(JAVA_INT, 8, fd);
            Bpf.call(arena, Bpf.OBJ_PIN, attr, "BPF_OBJ_PIN");
        }
    }

    /** BPF_OBJ_GET of the object pinned at {@code path}; {@code fileFlags} 0 asks for read-write. */
    public static Fd get(String path, int fileFlags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = Bpf.attr(arena);
            attr.set(JAVA_LONG, 0, Bpf.cString(arena, path).address());
            attr.set(JAVA_INT, 12, fileFlags);
            return new Fd((int) Bpf.call(arena, Bpf.OBJ_GET, attr, "BPF_OBJ_GET"));
        }
    }

    /** BPF_OBJ_GET_INFO_BY_FD on a map fd. */
    public static KernelMapInfo mapInfo(int mapFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(MAP_INFO_LEN, 8);
            MemorySegment attr = Bpf.attr(arena);
            attr.set(JAVA_INT, 0, mapFd);
            attr.set(JAVA_INT, 4, MAP_INFO_LEN);
            attr.set(JAVA_LONG, 8, info.address());
            Bpf.call(arena, Bpf.OBJ_GET_INFO_BY_FD, attr, "BPF_OBJ_GET_INFO_BY_FD");
            byte[] name = info.asSlice(24, 16).toArray(JAVA_BYTE);
            int len = 0;
            while (len < name.length && name[len] != 0) {
                len++;
            }
            return new KernelMapInfo(info.get(JAVA_INT, 0), info.get(JAVA_INT, 4), info.get(JAVA_INT, 8),
                    info.get(JAVA_INT, 12), info.get(JAVA_INT, 16), info.get(JAVA_INT, 20),
                    new String(name, 0, len, StandardCharsets.US_ASCII),
                    info.get(JAVA_INT, 64), info.get(JAVA_INT, 68), info.get(JAVA_INT, 72));
        }
    }
}
