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

/** BPF_BTF_LOAD of a raw BTF blob (include/uapi/linux/btf.h); a refusal carries the BTF log. */
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

    private static final VarHandle BTF = Bpf.field(BTF_LOAD_ATTR, "btf");
    private static final VarHandle BTF_LOG_BUF = Bpf.field(BTF_LOAD_ATTR, "btf_log_buf");
    private static final VarHandle BTF_SIZE = Bpf.field(BTF_LOAD_ATTR, "btf_size");
    private static final VarHandle BTF_LOG_SIZE = Bpf.field(BTF_LOAD_ATTR, "btf_log_size");
    private static final VarHandle BTF_LOG_LEVEL = Bpf.field(BTF_LOAD_ATTR, "btf_log_level");

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
}
