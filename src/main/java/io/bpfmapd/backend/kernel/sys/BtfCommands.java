package io.bpfmapd.backend.kernel.sys;

import io.bpfmapd.backend.BpfException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** BPF_BTF_LOAD of a raw BTF blob (include/uapi/linux/btf.h); a refusal carries the BTF log. */
public final class BtfCommands {

    private static final int LOG_SIZE = 16 * 1024;

    private BtfCommands() {
    }

    public static Fd load(byte[] btf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment blob = arena.allocate(btf.length, 8);
            MemorySegment.copy(btf, 0, blob, JAVA_BYTE, 0, btf.length);
            MemorySegment log = arena.allocate(LOG_SIZE);
            MemorySegment attr = Bpf.attr(arena);
            attr.set(JAVA_LONG, 0, blob.address());
            attr.set(JAVA_LONG, 8, log.address());
            attr.set(JAVA_INT, 16, btf.length);
            attr.set(JAVA_INT, 20, LOG_SIZE);
            attr.set(JAVA_INT, 24, 1);
            try {
                return new Fd((int) Bpf.call(arena, Bpf.BTF_LOAD, attr, "BPF_BTF_LOAD"));
            } catch (BpfException e) {
                throw new BpfException(e.errno(), e.code(), e.operation(), "BTF log: " + log.getString(0, StandardCharsets.UTF_8).strip());
            }
        }
    }
}
