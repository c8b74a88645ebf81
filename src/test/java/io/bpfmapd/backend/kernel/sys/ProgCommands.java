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
 * BPF_PROG_LOAD and BPF_PROG_TEST_RUN: the service does not load programs, its tests do, so these live
 * in test sources. One attr layout and one function per command, names as in include/uapi/linux/bpf.h.
 */
public final class ProgCommands {

    static final int PROG_LOAD = 5;
    static final int PROG_TEST_RUN = 10;

    public static final int PROG_TYPE_SOCKET_FILTER = 1;
    private static final int LOG_SIZE = 64 * 1024;

    /**
     * BPF_PROG_LOAD: the anonymous struct of {@code union bpf_attr}, up to {@code prog_flags}; the kernel
     * zero-fills the fields after it (__sys_bpf), and a socket filter needs none of them.
     */
    static final StructLayout PROG_LOAD_ATTR = structLayout(
            JAVA_INT.withName("prog_type"),
            JAVA_INT.withName("insn_cnt"),
            JAVA_LONG.withName("insns"),
            JAVA_LONG.withName("license"),
            JAVA_INT.withName("log_level"),
            JAVA_INT.withName("log_size"),
            JAVA_LONG.withName("log_buf"),
            JAVA_INT.withName("kern_version"),
            JAVA_INT.withName("prog_flags"));

    /** BPF_PROG_TEST_RUN: {@code union bpf_attr}'s member {@code test}, as in Linux 6.1. */
    static final StructLayout PROG_TEST_RUN_ATTR = structLayout(
            JAVA_INT.withName("prog_fd"),
            JAVA_INT.withName("retval"),
            JAVA_INT.withName("data_size_in"),
            JAVA_INT.withName("data_size_out"),
            JAVA_LONG.withName("data_in"),
            JAVA_LONG.withName("data_out"),
            JAVA_INT.withName("repeat"),
            JAVA_INT.withName("duration"),
            JAVA_INT.withName("ctx_size_in"),
            JAVA_INT.withName("ctx_size_out"),
            JAVA_LONG.withName("ctx_in"),
            JAVA_LONG.withName("ctx_out"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("cpu"),
            JAVA_INT.withName("batch_size"),
            paddingLayout(4));

    private static final VarHandle LOAD_PROG_TYPE = Bpf.field(PROG_LOAD_ATTR, "prog_type");
    private static final VarHandle LOAD_INSN_CNT = Bpf.field(PROG_LOAD_ATTR, "insn_cnt");
    private static final VarHandle LOAD_INSNS = Bpf.field(PROG_LOAD_ATTR, "insns");
    private static final VarHandle LOAD_LICENSE = Bpf.field(PROG_LOAD_ATTR, "license");
    private static final VarHandle LOAD_LOG_LEVEL = Bpf.field(PROG_LOAD_ATTR, "log_level");
    private static final VarHandle LOAD_LOG_SIZE = Bpf.field(PROG_LOAD_ATTR, "log_size");
    private static final VarHandle LOAD_LOG_BUF = Bpf.field(PROG_LOAD_ATTR, "log_buf");

    private static final VarHandle TEST_PROG_FD = Bpf.field(PROG_TEST_RUN_ATTR, "prog_fd");
    private static final VarHandle TEST_RETVAL = Bpf.field(PROG_TEST_RUN_ATTR, "retval");
    private static final VarHandle TEST_DATA_SIZE_IN = Bpf.field(PROG_TEST_RUN_ATTR, "data_size_in");
    private static final VarHandle TEST_DATA_IN = Bpf.field(PROG_TEST_RUN_ATTR, "data_in");
    private static final VarHandle TEST_REPEAT = Bpf.field(PROG_TEST_RUN_ATTR, "repeat");

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
            MemorySegment attr = Bpf.attr(arena, PROG_LOAD_ATTR);
            LOAD_PROG_TYPE.set(attr, 0L, progType);
            LOAD_INSN_CNT.set(attr, 0L, insns.length);
            LOAD_INSNS.set(attr, 0L, code.address());
            LOAD_LICENSE.set(attr, 0L, Bpf.cString(arena, license).address());
            LOAD_LOG_LEVEL.set(attr, 0L, 1);
            LOAD_LOG_SIZE.set(attr, 0L, LOG_SIZE);
            LOAD_LOG_BUF.set(attr, 0L, log.address());
            try {
                return new Fd((int) Bpf.call(arena, PROG_LOAD, attr, "BPF_PROG_LOAD"));
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
            MemorySegment attr = Bpf.attr(arena, PROG_TEST_RUN_ATTR);
            TEST_PROG_FD.set(attr, 0L, progFd);
            TEST_DATA_SIZE_IN.set(attr, 0L, data.length);
            TEST_DATA_IN.set(attr, 0L, in.address());
            TEST_REPEAT.set(attr, 0L, 1);
            Bpf.call(arena, PROG_TEST_RUN, attr, "BPF_PROG_TEST_RUN");
            return (int) TEST_RETVAL.get(attr, 0L);
        }
    }
}
