package io.bpfmapd.backend.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * mmap(2) of a map fd, as a segment whose lifetime is the caller's arena: closing the arena munmaps.
 * Always MAP_SHARED (the kernel refuses MAP_PRIVATE, kernel/bpf/syscall.c bpf_map_mmap). A read-only
 * mapping is PROT_READ through the same read-write fd: MAP_SHARED through a read-only fd loses VM_SHARED
 * in do_mmap (mm/mmap.c) and bpf_map_mmap answers EINVAL.
 */
public final class Mmap {

    private Mmap() {
    }

    /**
     * Maps {@code length} bytes of {@code fd} from {@code offset}.
     *
     * @param length  whole pages: the segment is exactly this long, and the kernel maps whole pages
     * @param arena   owns the mapping: its close munmaps and then runs {@code onUnmap}, once; a shared
     *                arena's close waits out accesses in flight, so none reaches unmapped memory
     * @param onUnmap runs after munmap
     * @return the mapped pages, writable only if {@code writable} was asked for (writes to PROT_READ pages
     *         are a SIGSEGV, so a read-only mapping is also a read-only segment)
     * @throws io.bpfmapd.backend.BpfException with mmap's errno; nothing is then tied to {@code arena}
     */
    public static MemorySegment map(int fd, long offset, long length, boolean writable, Arena arena, Runnable onUnmap) {
        MemorySegment raw = Libc.mmap(length, prot(writable), fd, offset);
        MemorySegment segment = raw.reinterpret(length, arena, seg -> {
            try {
                Libc.munmap(seg, length);
            } finally {
                onUnmap.run();
            }
        });
        return writable ? segment : segment.asReadOnly();
    }

    /** mprotect(2) of a whole mapping from {@link #map}, to read-write or read-only. */
    public static void protect(MemorySegment segment, boolean writable) {
        Libc.mprotect(segment, segment.byteSize(), prot(writable));
    }

    private static int prot(boolean writable) {
        return writable ? Libc.PROT_READ | Libc.PROT_WRITE : Libc.PROT_READ;
    }
}
