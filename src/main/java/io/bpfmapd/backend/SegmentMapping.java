package io.bpfmapd.backend;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link Mapping} over a memory segment whose lifetime is a shared {@link Arena}: closing the arena
 * unmaps (its cleanup runs munmap, or drops the emulation's reference), and every access still in
 * flight or started later fails with an {@link IllegalStateException} that we turn into
 * {@link MappingClosedException}. That is what keeps a request racing a close off unmapped memory.
 *
 * <p>Writes hold the read side of {@link #protection} so that {@link #protect} (mprotect) cannot drop
 * PROT_WRITE under a write in flight: that write would be a SIGSEGV, not an exception. {@link #protect}
 * and {@link #close} hold the write side, so that an mprotect never runs on unmapped pages.
 */
public final class SegmentMapping implements Mapping {

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final int TRANSFER_CHUNK = 64 * 1024;

    /** Changes the protection of the pages under a mapping; the kernel calls mprotect. */
    @FunctionalInterface
    public interface Protector {
        void protect(MemorySegment segment, boolean writable);
    }

    private final long offset;
    private final boolean writable;
    private final Arena arena;
    private final MemorySegment segment;
    private final Protector protector;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantReadWriteLock protection = new ReentrantReadWriteLock();
    private volatile boolean currentlyWritable;

    /**
     * @param segment   the mapped bytes, already tied to {@code arena}; its cleanup releases them
     * @param protector applies mprotect; the emulation passes a no-op
     */
    public SegmentMapping(long offset, boolean writable, Arena arena, MemorySegment segment, Protector protector) {
        this.offset = offset;
        this.writable = writable;
        this.currentlyWritable = writable;
        this.arena = Objects.requireNonNull(arena);
        this.segment = Objects.requireNonNull(segment);
        this.protector = Objects.requireNonNull(protector);
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public long length() {
        return segment.byteSize();
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public boolean currentlyWritable() {
        return currentlyWritable;
    }

    @Override
    public void read(long at, byte[] dst, int dstOffset, int length) {
        checkBounds(at, length);
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        try {
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at, dst, dstOffset, length);
        } catch (IllegalStateException e) {
            throw closedDuring("read", e);
        }
    }

    @Override
    public long readLong(long at) {
        checkBounds(at, Long.BYTES);
        try {
            return segment.get(U64, at);
        } catch (IllegalStateException e) {
            throw closedDuring("read", e);
        }
    }

    @Override
    public void write(long at, byte[] src, int srcOffset, int length) {
        checkBounds(at, length);
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        protection.readLock().lock();
        try {
            checkWritable();
            MemorySegment.copy(src, srcOffset, segment, ValueLayout.JAVA_BYTE, at, length);
        } catch (IllegalStateException e) {
            throw closedDuring("write", e);
        } finally {
            protection.readLock().unlock();
        }
    }

    @Override
    public void writeLong(long at, long value) {
        checkBounds(at, Long.BYTES);
        protection.readLock().lock();
        try {
            checkWritable();
            segment.set(U64, at, value);
        } catch (IllegalStateException e) {
            throw closedDuring("write", e);
        } finally {
            protection.readLock().unlock();
        }
    }

    @Override
    public void transferTo(long at, long length, OutputStream out) throws IOException {
        checkBounds(at, length);
        byte[] chunk = new byte[(int) Math.min(TRANSFER_CHUNK, Math.max(length, 1))];
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(chunk.length, length - done);
            try {
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at + done, chunk, 0, n);
            } catch (IllegalStateException e) {
                throw closedDuring("read", e);
            }
            out.write(chunk, 0, n);
            done += n;
        }
    }

    @Override
    public void protect(boolean makeWritable) {
        protection.writeLock().lock();
        try {
            if (closed.get()) {
                throw new MappingClosedException("mprotect: mapping is closed", null);
            }
            if (makeWritable && !writable) {
                // The kernel clears VM_MAYWRITE on a read-only shared mapping of a map (bpf_map_mmap).
                throw new BpfException(Errno.EACCES, "mprotect", "a read-only mapping can never become writable");
            }
            protector.protect(segment, makeWritable);
            currentlyWritable = makeWritable;
        } finally {
            protection.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        // Under the write side of protection, and the flag set inside it, so that a second close waits
        // for a close in progress: when close returns, the arena is closed and its cleanup has run. The
        // emulation's shutdown frees the map's memory as soon as its mappings' closes return; one that
        // returned while another thread was still closing would let a read reach freed pages. Also not
        // under an mprotect in flight: the downcall holds the arena, whose close would then throw and
        // leave the pages mapped (and the map's writecnt up) for good; and an mprotect after the munmap
        // would hit whatever is mapped at that address next.
        protection.writeLock().lock();
        try {
            if (closed.compareAndSet(false, true)) {
                // Shared arena close: a handshake with every thread, so in-flight accesses fail cleanly.
                arena.close();
            }
        } finally {
            protection.writeLock().unlock();
        }
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    private void checkWritable() {
        if (!currentlyWritable) {
            throw new BpfException(Errno.EACCES, "write", "mapping is not writable");
        }
    }

    private void checkBounds(long at, long length) {
        if (at < 0 || length < 0 || at > segment.byteSize() - length) {
            throw new IndexOutOfBoundsException(
                    "range [" + at + ", " + at + " + " + length + ") is outside the mapping of " + segment.byteSize() + " bytes");
        }
    }

    private MappingClosedException closedDuring(String op, IllegalStateException e) {
        return new MappingClosedException(op + ": the mapping was closed", e);
    }
}
