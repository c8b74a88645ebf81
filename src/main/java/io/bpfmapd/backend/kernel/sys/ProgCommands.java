package io.bpfmapd.backend.kernel.sys;

import io.bpfmapd.backend.BpfException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** BPF_PROG_LOAD and BPF_PROG_TEST_RUN; the service does not load programs, its tests do. */
public final class ProgCommands {

    public static final int PROG_TYPE_SOCKET_FILTER = 1;
    private static final int LOG_SIZE = 64 * 1024;

    private ProgCommands() {
    }

    /**
     * BPF_PROG_LOAD of raw instructions (8 bytes each, as the kernel's {@code struct bpf_insn}). A refusal
     * carries the verifier log in the exception's detail.
     */
    public static Fd load(int progType, long[] insns, String license) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment code = arena.allocate(JAVA_LONG, insns.length);
            MemorySegment.copy(insns, 0, code, JAVA_LONG, 0, insns.length);
            MemorySegment log = arena.allocate(LOG_SIZE);
            MemorySegment attr = Bpf.attr(arena);
            attr.set(JAVA_INT, 0, progType);
            attr.set(JAVA_INT, 4, insns.length);
            attr.set(JAVA_LONG, 8, code.address());
            attr.set(JAVA_LONG, 16, Bpf.cString(arena, license).address());
            attr.set(JAVA_INT, 24, 1);
            attr.set(JAVA_INT, 28, LOG_SIZE);
            attr.set(JAVA_LONG, 32, log.address());
            try {
                return new Fd((int) Bpf.call(arena, Bpf.PROG_LOAD, attr, "BPF_PROG_LOAD"));
            } catch (BpfException e) {
                throw new BpfException(e.errno(), e.code(), e.operation(), "verifier log: " + log.getString(0, StandardCharsets.UTF_8).strip());
            }
        }
    }

    /** BPF_PROG_TEST_RUN once over {@code data}; returns the program's return value. */
    public static int testRun(int progFd, byte[] data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(Math.max(data.length, 1), 8);
            MemorySegment.copy(data, 0, in, JAVA_BYTE, 0, data.length);
            MemorySegment attr = Bpf.attr(arena);
            attr.set(JAVA_INT, 0, progFd);
            attr.set(JAVA_INT, 8, data.length);
            attr.set(JAVA_LONG, 16, in.address());
            attr.set(JAVA_INT, 32, 1);
            Bpf.call(arena, Bpf.PROG_TEST_RUN, attr, "BPF_PROG_TEST_RUN");
            return attr.get(JAVA_INT, 4);
        }
    }
}
