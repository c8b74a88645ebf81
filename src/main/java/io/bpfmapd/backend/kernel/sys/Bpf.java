package io.bpfmapd.backend.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The bpf(2) syscall itself: the command numbers the service sends ({@code enum bpf_cmd},
 * include/uapi/linux/bpf.h) and one entry point taking a command's attr. Each command's attr layout
 * and function live beside each other in the *Commands classes.
 */
final class Bpf {

    static final int MAP_CREATE = 0;
    static final int MAP_LOOKUP_ELEM = 1;
    static final int MAP_UPDATE_ELEM = 2;
    static final int MAP_DELETE_ELEM = 3;
    static final int OBJ_PIN = 6;
    static final int OBJ_GET = 7;
    static final int OBJ_GET_INFO_BY_FD = 15;
    static final int BTF_LOAD = 18;
    static final int BTF_GET_FD_BY_ID = 19;
    static final int MAP_FREEZE = 22;

    private static final long SYS_BPF = syscallNumber();

    private Bpf() {
    }

    /** A zeroed attr of {@code layout}'s size from {@code arena}. */
    static MemorySegment attr(Arena arena, StructLayout layout) {
        return arena.allocate(layout);
    }

    /**
     * bpf(cmd, attr, sizeof(attr)); returns the kernel's non-negative result or throws its errno. The
     * size is the command's own struct, as libbpf and cilium/ebpf pass it: the kernel zero-fills the rest
     * of its {@code union bpf_attr} and, when handed more than it knows, requires the excess to be zero
     * (kernel/bpf/syscall.c __sys_bpf, bpf_check_uarg_tail_zero).
     */
    static long call(Arena arena, int cmd, MemorySegment attr, String operation) {
        return Libc.syscall(arena, SYS_BPF, cmd, attr.address(), attr.byteSize(), operation);
    }

    /** The VarHandle of {@code layout}'s member {@code name}; coordinates (segment, base offset). */
    static VarHandle field(StructLayout layout, String name) {
        return layout.varHandle(groupElement(name));
    }

    /** The byte offset of {@code layout}'s member {@code name}, for arrays such as {@code map_name}. */
    static long offset(StructLayout layout, String name) {
        return layout.byteOffset(groupElement(name));
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
