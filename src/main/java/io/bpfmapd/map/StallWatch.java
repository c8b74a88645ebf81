package io.bpfmapd.map;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ends a response body that makes no progress. A client that stops reading (its TCP window full)
 * blocks the body's write until the container's own write timeout, and with it whatever the body holds
 * (a whole-map read: a temporary mapping and one of its principal's session slots). Each write that
 * returns is progress; when none returned for {@code timeout} since the watch started or since the last
 * one, the watch runs {@code onStall}, which releases what the body holds; the body's next step then
 * fails, which aborts the response.
 */
final class StallWatch implements AutoCloseable {

    private final Duration timeout;
    private final ScheduledExecutorService timer;

    StallWatch(Duration timeout) {
        this.timeout = timeout;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bpfmapd-stall-watch");
            t.setDaemon(true);
            return t;
        });
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Starts watching now, before the body runs, so that a body that never starts is released too.
     *
     * @param onStall runs at most once, on the watch's thread, if no write returned for the timeout
     */
    Watch start(Runnable onStall) {
        return new Watch(onStall);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One body's progress; closing it stops the watch. */
    final class Watch implements AutoCloseable {

        private final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicBoolean stalled = new AtomicBoolean();
        private final Runnable onStall;
        private final ScheduledFuture<?> check;

        private Watch(Runnable onStall) {
            this.onStall = onStall;
            long period = Math.max(timeout.toNanos() / 4, TimeUnit.MILLISECONDS.toNanos(10));
            this.check = timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.NANOSECONDS);
        }

        /** {@code out}, with each write that returns counted as progress. */
        OutputStream wrap(OutputStream out) {
            return new FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    progressed();
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    progressed();
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                    progressed();
                }

                @Override
                public void close() {
                    // the container's stream: the container closes it
                }
            };
        }

        /** The watch gave up on the client and ran {@code onStall}. */
        boolean stalled() {
            return stalled.get();
        }

        private void progressed() {
            lastProgress.set(System.nanoTime());
        }

        private void check() {
            if (!done.get() && System.nanoTime() - lastProgress.get() >= timeout.toNanos()
                    && stalled.compareAndSet(false, true)) {
                done.set(true);
                onStall.run();
            }
            if (done.get()) {
                throw new java.util.concurrent.CancellationException("watch over"); // ends the periodic task
            }
        }

        @Override
        public void close() {
            done.set(true);
            check.cancel(false);
        }
    }
}
