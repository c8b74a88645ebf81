package io.bpfmapd.map;

import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.MappingClosedException;
import io.bpfmapd.limits.ResourceLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * The read-only mapping a whole-map octet-stream read streams from. Like a session it holds the map
 * (and its memory) until it is closed, so it holds one of its principal's session slots and its mapped
 * bytes in the limits; unlike a session it has no lease, so a {@link StallWatch} bounds how long a
 * client that stopped reading can keep it. It is released once: when the body ends, however it ends, or
 * when the watch gives up on the client, whichever comes first.
 */
final class TemporaryMapping {

    /** The bytes written after the release: little enough to copy to the heap. */
    private static final long TAIL = 64 * 1024;

    private final Mapping mapping;
    private final ResourceLimits.Reservation slot;
    private final Runnable onRelease;
    private final AtomicBoolean released = new AtomicBoolean();
    private final StallWatch.Watch watch;

    /**
     * Takes over {@code mapping} and {@code slot}; the watch starts now, so a body that never runs is
     * released too.
     *
     * @param onStall   runs (before the release) when the watch gives up on the client
     * @param onRelease runs once, after the mapping and the slot are given back
     */
    TemporaryMapping(Mapping mapping, ResourceLimits.Reservation slot, StallWatch stallWatch, Runnable onStall,
                     Runnable onRelease) {
        this.mapping = mapping;
        this.slot = slot;
        this.onRelease = onRelease;
        this.watch = stallWatch.start(() -> {
            onStall.run();
            release();
        });
    }

    /**
     * Streams the whole mapping to {@code out}. The last bytes are copied out of it first and written
     * after it is released, so a client that has the whole body finds the mapping given back already,
     * in the limits and in the map's session counts.
     *
     * @throws AsyncRequestNotUsableException the watch gave up on the client: the response is aborted
     */
    void writeTo(OutputStream out) throws IOException {
        long length = mapping.length();
        long head = Math.max(0, length - TAIL);
        byte[] tail = new byte[(int) (length - head)];
        OutputStream watched = watch.wrap(out);
        try {
            mapping.transferTo(0, head, watched);
            mapping.read(head, tail, 0, tail.length);
        } catch (MappingClosedException e) {
            if (watch.stalled()) {
                // Spring treats this as a response no longer usable: nothing more is written or logged
                throw new AsyncRequestNotUsableException("client stalled; response aborted", e);
            }
            throw e;
        } finally {
            release();
        }
        out.write(tail);
    }

    /** Gives the mapping and the slot back and stops the watch; once, whoever calls it first. */
    void release() {
        if (released.compareAndSet(false, true)) {
            watch.close();
            try {
                mapping.close();
            } finally {
                slot.close();
                onRelease.run();
            }
        }
    }
}
