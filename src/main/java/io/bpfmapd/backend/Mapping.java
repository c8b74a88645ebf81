package io.bpfmapd.backend;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One shared mapping of a map's value area. Offsets are relative to the start of the mapping and
 * bounds-checked. Reads and writes take no lock; an access racing {@link #close()} either completes
 * or throws {@link MappingClosedException}, never touches unmapped memory.
 */
public interface Mapping extends AutoCloseable {

    /** Offset of this mapping within the map's value area (page-aligned). */
    long offset();

    /** Mapped bytes: the requested length rounded up to a page. */
    long length();

    /** Made with PROT_WRITE (counts in the map's writecnt until closed, even after {@link #protect}). */
    boolean writable();

    /** Currently writable (PROT_WRITE), as last set by mmap or {@link #protect}. */
    boolean currentlyWritable();

    void read(long offset, byte[] dst, int dstOffset, int length);

    long readLong(long offset);

    /** @throws BpfException EACCES when the mapping is not currently writable */
    void write(long offset, byte[] src, int srcOffset, int length);

    /** @throws BpfException EACCES when the mapping is not currently writable */
    void writeLong(long offset, long value);

    /** Streams {@code length} bytes from {@code offset} without copying the whole range to the heap. */
    void transferTo(long offset, long length, OutputStream out) throws IOException;

    /**
     * mprotect: a read-only mapping can never become writable (EACCES), as the kernel clears
     * VM_MAYWRITE on it; a writable mapping made read-only still counts as a writer.
     */
    void protect(boolean writable);

    /**
     * munmap; idempotent. Drops the mapping's user reference. Returns only once the mapping is unmapped,
     * also when another thread's close is in progress: the caller may free what lies under it next.
     */
    @Override
    void close();

    boolean isClosed();
}
