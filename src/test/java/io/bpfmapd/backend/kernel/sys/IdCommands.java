package io.bpfmapd.backend.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** BPF_MAP_GET_FD_BY_ID, which only tests send: it reopens a map by id to see whether it still lives. */
public final class IdCommands {

    static final int MAP_GET_FD_BY_ID = 14;

    /**
     * BPF_MAP_GET_FD_BY_ID: the anonymous "BPF_*_GET_*_ID" struct of {@code union bpf_attr}, whose first
     * member is a union of start_id, prog_id, map_id, btf_id and link_id; this command reads map_id.
     */
    static final StructLayout MAP_GET_FD_BY_ID_ATTR = structLayout(
            JAVA_INT.withName("map_id"),
            JAVA_INT.withName("next_id"),
            JAVA_INT.withName("open_flags"));

    private static final VarHandle MAP_ID = Bpf.field(MAP_GET_FD_BY_ID_ATTR, "map_id");

    private IdCommands() {
    }

    /** A new read-write fd for a live map, ENOENT once it is freed. */
    public static Fd mapFdById(int id) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = Bpf.attr(arena, MAP_GET_FD_BY_ID_ATTR);
            MAP_ID.set(attr, 0L, id);
            return new Fd((int) Bpf.call(arena, MAP_GET_FD_BY_ID, attr, "BPF_MAP_GET_FD_BY_ID"));
        }
    }
}
