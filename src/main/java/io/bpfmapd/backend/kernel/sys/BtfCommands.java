package io.bpfmapd.backend.kernel.sys;

import io.bpfmapd.backend.BpfException;

import java.lang.foreign.Arena;
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
 * BTF objects: BPF_BTF_LOAD of a raw blob (include/uapi/linux/btf.h; a refusal carries the BTF log),
 * BPF_BTF_GET_FD_BY_ID, and the blob back through BPF_OBJ_GET_INFO_BY_FD.
 */
public final class BtfCommands {

    /**
     * BPF_BTF_LOAD: the anonymous struct of {@code union bpf_attr} as in Linux 6.1; its tail padding is
     * where 6.4 put {@code btf_log_true_size}, an output this service does not read.
     */
    static final StructLayout BTF_LOAD_ATTR = structLayout(
            JAVA_LONG.withName("btf"),
            JAVA_LONG.withName("btf_log_buf"),
            JAVA_INT.withName("btf_size"),
            JAVA_INT.withName("btf_log_size"),
            JAVA_INT.withName("btf_log_level"),
            paddingLayout(4));

    /**
     * BPF_BTF_GET_FD_BY_ID: the anonymous "BPF_*_GET_*_ID" struct of {@code union bpf_attr}, whose first
     * member is a union of start_id, prog_id, map_id, btf_id and link_id; this command reads btf_id.
     */
    static final StructLayout BTF_GET_FD_BY_ID_ATTR = structLayout(
            JAVA_INT.withName("btf_id"),
            JAVA_INT.withName("next_id"),
            JAVA_INT.withName("open_flags"));

    /** {@code struct bpf_btf_info} as in Linux 6.1 (name and kernel_btf since 5.11). */
    static final StructLayout BPF_BTF_INFO = structLayout(
            JAVA_LONG.withName("btf"),
            JAVA_INT.withName("btf_size"),
            JAVA_INT.withName("id"),
            JAVA_LONG.withName("name"),
            JAVA_INT.withName("name_len"),
            JAVA_INT.withName("kernel_btf"));

    private static final VarHandle BTF = Bpf.field(BTF_LOAD_ATTR, "btf");
    private static final VarHandle BTF_LOG_BUF = Bpf.field(BTF_LOAD_ATTR, "btf_log_buf");
    private static final VarHandle BTF_SIZE = Bpf.field(BTF_LOAD_ATTR, "btf_size");
    private static final VarHandle BTF_LOG_SIZE = Bpf.field(BTF_LOAD_ATTR, "btf_log_size");
    private static final VarHandle BTF_LOG_LEVEL = Bpf.field(BTF_LOAD_ATTR, "btf_log_level");

    private static final VarHandle GET_BTF_ID = Bpf.field(BTF_GET_FD_BY_ID_ATTR, "btf_id");
    private static final VarHandle INFO_BTF = Bpf.field(BPF_BTF_INFO, "btf");
    private static final VarHandle INFO_BTF_SIZE = Bpf.field(BPF_BTF_INFO, "btf_size");

    private static final int LOG_SIZE = 16 * 1024;

    private BtfCommands() {
    }

    public static Fd load(byte[] btf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment blob = arena.allocate(btf.length, 8);
            MemorySegment.copy(btf, 0, blob, JAVA_BYTE, 0, btf.length);
            MemorySegment log = arena.allocate(LOG_SIZE);
            MemorySegment attr = Bpf.attr(arena, BTF_LOAD_ATTR);
            BTF.set(attr, 0L, blob.address());
            BTF_LOG_BUF.set(attr, 0L, log.address());
            BTF_SIZE.set(attr, 0L, btf.length);
            BTF_LOG_SIZE.set(attr, 0L, LOG_SIZE);
            BTF_LOG_LEVEL.set(attr, 0L, 1);
            try {
                return new Fd((int) Bpf.call(arena, Bpf.BTF_LOAD, attr, "BPF_BTF_LOAD"));
            } catch (BpfException e) {
                throw new BpfException(e.errno(), e.code(), e.operation(), "BTF log: " + log.getString(0, StandardCharsets.UTF_8).strip());
            }
        }
    }

    /** BPF_BTF_GET_FD_BY_ID: a new fd for the BTF object {@code id} (a map's {@code btf_id}); ENOENT once freed. */
    public static Fd fdById(int id) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = Bpf.attr(arena, BTF_GET_FD_BY_ID_ATTR);
            GET_BTF_ID.set(attr, 0L, id);
            return new Fd((int) Bpf.call(arena, Bpf.BTF_GET_FD_BY_ID, attr, "BPF_BTF_GET_FD_BY_ID"));
        }
    }

    /**
     * The raw blob of a BTF object, asked twice as bpftool and libbpf ask (btf_get_from_fd): first with no
     * buffer, for {@code btf_size}; then with a buffer of that size, into which the kernel copies at most
     * the size given (kernel/bpf/btf.c btf_get_info_by_fd). A BTF object never changes once loaded, so the
     * size cannot grow between the two calls.
     */
    public static byte[] data(int btfFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(BPF_BTF_INFO);
            ObjCommands.infoByFd(arena, btfFd, info);
            int size = (int) INFO_BTF_SIZE.get(info, 0L);
            MemorySegment blob = arena.allocate(Math.max(size, 1), 8);
            info.fill((byte) 0);
            INFO_BTF.set(info, 0L, blob.address());
            INFO_BTF_SIZE.set(info, 0L, size);
            ObjCommands.infoByFd(arena, btfFd, info);
            return blob.asSlice(0, size).toArray(JAVA_BYTE);
        }
    }
}
