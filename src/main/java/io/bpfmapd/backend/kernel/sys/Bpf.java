package io.bpfmapd.backend.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The bpf(2) syscall itself: command numbers ({@code enum bpf_cmd}, include/uapi/linux/bpf.h) and one
 * entry point taking a zeroed {@code union bpf_attr}. The per-command functions live beside it.
 */
final class Bpf {

    static final int MAP_CREATE = 0;
    static final int MAP_LOOKUP_ELEM = 1;
    static final int MAP_UPDATE_ELEM = 2;
    static final int MAP_DELETE_ELEM = 3;
    static final int PROG_LOAD = 5;
    static final int OBJ_PIN = 6;
    static final int OBJ_GET = 7;
    static final int PROG_TEST_RUN = 10;
    static final int MAP_GET_FD_BY_ID = 14;
    static final int OBJ_GET_INFO_BY_FD = 15;
    static final int BTF_LOAD = 18;
    static final int MAP_FREEZE = 22;

    /**
     * Bytes of attr passed to the kernel: enough for every command used here. The kernel copies
     * {@code min(size, sizeof(attr))} and requires unused fields to be zero (CHECK_ATTR).
     */
    static final long ATTR_SIZE = 144;

    private static final long SYS_BPF = syscallNumber();

    private Bpf() {
    }

    /** A zeroed attr from {@code arena}. */
    static MemorySegment attr(Arena arena) {
        return arena.allocate(ATTR_SIZE, 8);
    }

    /** bpf(cmd, attr, size); returns the kernel's non-negative result or throws its errno. */
    static long call(Arena arena, int cmd, MemorySegment attr, String operation) {
        return Libc.syscall(arena, SYS_BPF, cmd, attr.address(), ATTR_SIZE, operation);
    }

    /** __NR_bpf by architecture (arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h). */
    static long syscallNumber() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> 321;
            case "aarch64", "riscv64" -> 280;
            default -> throw new UnsupportedOperationException("no bpf(2) syscall number known for architecture " + arch);
        };
    }

    /** A NUL-terminated copy of {@code s} in {@code arena}, for pathname and license pointers. */
    static MemorySegment cString(Arena arena, String s) {
        return arena.allocateFrom(s);
    }
}
