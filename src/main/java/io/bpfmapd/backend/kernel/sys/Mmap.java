package io.bpfmapd.backend.kernel.sys;

import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.SegmentMapping;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * mmap of a map fd as a {@link SegmentMapping} whose shared arena munmaps on close. Always MAP_SHARED
 * (the kernel refuses MAP_PRIVATE, kernel/bpf/syscall.c bpf_map_mmap). A read-only mapping is
 * PROT_READ through the same read-write fd: MAP_SHARED through a read-only fd loses VM_SHARED in
 * do_mmap (mm/mmap.c) and bpf_map_mmap answers EINVAL.
 */
public final class Mmap {

    private Mmap() {
    }

    /**
     * @param onUnmap runs once, after munmap, when the mapping is closed
     * @throws io.bpfmapd.backend.BpfException with mmap's errno
     */
    public static SegmentMapping map(int fd, long offset, long length, boolean writable, Runnable onUnmap) {
        int prot = writable ? Libc.PROT_READ | Libc.PROT_WRITE : Libc.PROT_READ;
        MemorySegment raw = Libc.mmap(length, prot, fd, offset);
        // The kernel maps whole pages; a read or write anywhere in them is inside the mapping.
        long mapped = MapGeometry.roundUp(length, Libc.pageSize());
        Arena arena = Arena.ofShared();
        MemorySegment segment = raw.reinterpret(mapped, arena, seg -> {
            try {
                Libc.munmap(seg, mapped);
            } finally {
                onUnmap.run();
            }
        });
        // Writing to PROT_READ pages is a SIGSEGV that kills the JVM: a read-only segment turns any
        // write that slipped past SegmentMapping's own check into an exception instead.
        return new SegmentMapping(offset, writable, arena, writable ? segment : segment.asReadOnly(), Mmap::protect);
    }

    private static void protect(MemorySegment segment, boolean writable) {
        Libc.mprotect(segment, segment.byteSize(), writable ? Libc.PROT_READ | Libc.PROT_WRITE : Libc.PROT_READ);
    }
}
