package io.bpfmapd.backend.kernel.sys;

import io.bpfmapd.backend.BpfException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc calls the kernel backend needs, each capturing errno. Handles are built once; every call
 * allocates its errno slot from the caller's arena, so calls are thread-safe. Failures become a
 * {@link BpfException} with the raw errno. Public only for {@link #pageSize()}.
 */
public final class Libc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** {@code long syscall(long number, ...)}: variadic, so every argument travels as a 64-bit long. */
    private static final MethodHandle SYSCALL = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle MPROTECT = downcall("mprotect",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SYSCONF = downcall("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));

    /** {@code _SC_PAGESIZE} of glibc's and musl's {@code <unistd.h>} on Linux, every architecture. */
    private static final int SC_PAGESIZE = 30;

    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x01;
    static final MemorySegment MAP_FAILED = MemorySegment.ofAddress(-1L);

    private Libc() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /**
     * {@code sysconf(_SC_PAGESIZE)}, read once: the kernel's PAGE_SIZE (4 KiB on x86_64; 4, 16 or 64 KiB
     * on arm64), which sizes every mmap of a map.
     */
    public static long pageSize() {
        return PageSize.VALUE;
    }

    private static final class PageSize {
        static final long VALUE = readPageSize();

        private static long readPageSize() {
            long size;
            try {
                size = (long) SYSCONF.invokeExact(SC_PAGESIZE);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (size <= 0 || Long.bitCount(size) != 1) {
                throw new IllegalStateException("sysconf(_SC_PAGESIZE) returned " + size);
            }
            return size;
        }
    }

    /** syscall(2); returns the non-negative result or throws with the errno. */
    static long syscall(Arena arena, long number, long a1, long a2, long a3, String operation) {
        MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
        long result;
        try {
            result = (long) SYSCALL.invokeExact(state, number, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (result < 0) {
            throw BpfException.fromCode(errno(state), operation, "the kernel refused it");
        }
        return result;
    }

    /** mmap(2) with MAP_SHARED of {@code fd}; returns the raw zero-length address segment. */
    static MemorySegment mmap(long length, int prot, int fd, long offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment address;
            try {
                address = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, prot, MAP_SHARED, fd, offset);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (address.address() == MAP_FAILED.address()) {
                throw BpfException.fromCode(errno(state), "mmap",
                        "offset " + offset + ", length " + length + (((prot & PROT_WRITE) != 0) ? ", writable" : ", read-only"));
            }
            return address;
        }
    }

    static void munmap(MemorySegment address, long length) {
        intCall(MUNMAP, "munmap", address, length, 0, 2);
    }

    static void mprotect(MemorySegment address, long length, int prot) {
        intCall(MPROTECT, "mprotect", address, length, prot, 3);
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int result;
            try {
                result = (int) CLOSE.invokeExact(state, fd);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (result < 0) {
                throw BpfException.fromCode(errno(state), "close", "fd " + fd);
            }
        }
    }

    private static void intCall(MethodHandle handle, String operation, MemorySegment address, long length, int prot, int arity) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int result;
            try {
                result = arity == 2
                        ? (int) handle.invokeExact(state, address, length)
                        : (int) handle.invokeExact(state, address, length, prot);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (result < 0) {
                throw BpfException.fromCode(errno(state), operation,
                        "address 0x" + Long.toHexString(address.address()) + ", length " + length);
            }
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("downcall failed", t);
    }
}
