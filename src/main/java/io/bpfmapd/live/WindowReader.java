package io.bpfmapd.live;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.MappingClosedException;
import io.bpfmapd.map.MapNotFoundException;
import io.bpfmapd.map.MapService;
import io.bpfmapd.map.TypedValues;
import io.bpfmapd.map.ValueFormat;
import io.bpfmapd.map.ValueRangeResponse;
import io.bpfmapd.map.ValueResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one reader of a stream window that all its subscribers share. Every interval it reads the window
 * whole from its {@link ElementSource} and compares each value's bytes with the last read; when some
 * changed it takes the next sequence number, records it as the version of each changed element, and
 * encodes ONE {@code changes} frame that every subscriber that is caught up sends as it is.
 *
 * <p>A subscriber's whole state is the sequence it has sent ({@code sent}). One that fell behind (a
 * slow client, a resume with {@code Last-Event-ID}) is sent, when it is ready, the current value of
 * every element whose version is above its {@code sent}: pending changes are merged by index into the
 * latest state, never queued, so a subscriber that never reads holds nothing but that number.
 */
final class WindowReader {

    /** The id prefix of this reader's events: a reconnect to another reader (or service) gets a snapshot. */
    final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    final WindowKey key;
    private final ElementSource source;
    private final JsonMapper json;
    /** The map's value type when the window is format=typed, else null. */
    private final TypedValues type;
    private final int count;
    private final int valueLength;
    private final int slots;
    /** The last read: the state subscribers are brought to. Written by the ticking thread under {@link #lock}. */
    private final byte[] current;
    /** The next read; only the ticking thread touches it. */
    private final byte[] scratch;
    /** Per element, the sequence at which it last changed (0: not since the reader started). */
    private final long[] versions;
    /** Per integer of each value, its change per second at its last change; null without rate=true. */
    private final double[] rates;
    private final boolean[] moving;
    private final int[] changed;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private long seq;
    /** The changes frame that took the sequence from seq - 1 to seq. */
    private Frame lastChanges;
    private String endReason;
    /** The last snapshot encoded, and the sequence it shows: subscribers joining before the next change share it. */
    private Frame snapshot;
    private long snapshotSeq = -1;
    private long lastReadNanos;

    WindowReader(WindowKey key, ElementSource source, JsonMapper json) {
        this(key, source, json, null);
    }

    WindowReader(WindowKey key, ElementSource source, JsonMapper json, TypedValues type) {
        this.key = key;
        this.source = source;
        this.json = json;
        this.type = type;
        this.count = key.count();
        this.valueLength = source.valueLength();
        this.slots = valueLength / key.format().width();
        this.current = new byte[count * valueLength];
        this.scratch = new byte[count * valueLength];
        this.versions = new long[count];
        this.rates = key.rate() ? new double[count * slots] : null;
        this.moving = key.rate() ? new boolean[count] : null;
        this.changed = new int[count];
        source.read(current); // the first read: its errno is the request's, before the stream starts
        lastReadNanos = System.nanoTime();
    }

    /** Whether the mapping (one slot of max-sessions) or lookups feed this reader. */
    boolean mapped() {
        return source.mapped();
    }

    /**
     * One interval: read, compare, and when something changed publish the next sequence. Called by one
     * thread at a time (the registry's ticker). A map deleted under the read ends the stream.
     */
    void tick() {
        if (ended()) {
            return;
        }
        try {
            source.read(scratch);
        } catch (MapNotFoundException | MappingClosedException e) {
            end(StreamRegistry.MAP_DELETED);
            return;
        } catch (BpfException e) {
            end("read failed: " + e.getMessage());
            return;
        }
        long now = System.nanoTime();
        double seconds = (now - lastReadNanos) / 1e9;
        lastReadNanos = now;
        int n = 0;
        for (int k = 0; k < count; k++) {
            int at = k * valueLength;
            // Arrays.equals on ranges is the JDK's vectorized mismatch: a few ns per value
            if (!Arrays.equals(scratch, at, at + valueLength, current, at, at + valueLength)
                    || (moving != null && moving[k])) {
                changed[n++] = k;
            }
        }
        if (n == 0) {
            return;
        }
        if (rates != null) {
            updateRates(n, seconds);
        }
        List<StreamValue> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(value(changed[i], scratch));
        }
        lock.lock();
        try {
            seq++;
            for (int i = 0; i < n; i++) {
                int at = changed[i] * valueLength;
                System.arraycopy(scratch, at, current, at, valueLength);
                versions[changed[i]] = seq;
            }
            lastChanges = changesFrame(seq, values);
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A subscriber's first event: the window as it is now, and the sequence it stands at. */
    Start start(String lastEventId) {
        lock.lock();
        try {
            long resumeAt = resumable(lastEventId);
            if (resumeAt >= 0) {
                return new Start(resumeAt, null);
            }
            if (snapshot != null && snapshotSeq == seq) {
                return new Start(seq, snapshot); // many joining at once: encoded once
            }
            byte[] copy = current.clone();
            long at = seq;
            lock.unlock();
            Frame frame;
            try {
                List<ValueResponse> values = new ArrayList<>(count);
                for (int k = 0; k < count; k++) {
                    values.add(new ValueResponse(key.from() + k, MapService.encode(
                            Arrays.copyOfRange(copy, k * valueLength, (k + 1) * valueLength), key.format(), type, "stream")));
                }
                String data = json.writeValueAsString(new ValueRangeResponse(key.from(), count, key.format(), values));
                frame = new Frame(eventId(at), "snapshot", data);
            } finally {
                lock.lock();
            }
            snapshot = frame;
            snapshotSeq = at;
            return new Start(at, frame);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next frame for a subscriber that has sent up to {@code sent}: waits until there is one, or
     * {@code heartbeatNanos} pass (then null: send a keep-alive), or the subscription is cancelled.
     */
    Next next(long sent, long heartbeatNanos, Cancelled cancelled) throws InterruptedException {
        List<Integer> behind;
        long at;
        lock.lock();
        try {
            long left = heartbeatNanos;
            while (seq == sent && endReason == null && !cancelled.cancelled()) {
                if (left <= 0) {
                    return new Next(sent, null);
                }
                left = advanced.awaitNanos(left);
            }
            if (cancelled.cancelled()) {
                return new Next(sent, null);
            }
            if (seq == sent) { // ended, nothing left to send
                return new Next(sent, endFrame());
            }
            if (seq == sent + 1) {
                return new Next(seq, lastChanges); // caught up: the frame everyone shares
            }
            behind = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                if (versions[k] > sent) {
                    behind.add(k);
                }
            }
            at = seq;
            byte[] state = new byte[behind.size() * valueLength];
            double[] stateRates = rates == null ? null : new double[behind.size() * slots];
            for (int i = 0; i < behind.size(); i++) {
                System.arraycopy(current, behind.get(i) * valueLength, state, i * valueLength, valueLength);
                if (rates != null) {
                    System.arraycopy(rates, behind.get(i) * slots, stateRates, i * slots, slots);
                }
            }
            lock.unlock();
            try {
                List<StreamValue> values = new ArrayList<>(behind.size());
                for (int i = 0; i < behind.size(); i++) {
                    values.add(new StreamValue(key.from() + behind.get(i), MapService.encode(
                            Arrays.copyOfRange(state, i * valueLength, (i + 1) * valueLength), key.format(), type, "stream"),
                            stateRates == null ? null : Arrays.copyOfRange(stateRates, i * slots, (i + 1) * slots)));
                }
                return new Next(at, changesFrame(at, values));
            } finally {
                lock.lock();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends every subscription with an {@code end} event carrying {@code reason}; the first reason wins. */
    void end(String reason) {
        lock.lock();
        try {
            if (endReason == null) {
                endReason = reason;
                advanced.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the waiting subscribers so that a cancelled one sees it. */
    void wake() {
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean ended() {
        lock.lock();
        try {
            return endReason != null;
        } finally {
            lock.unlock();
        }
    }

    /** The current sequence, for tests. */
    long sequence() {
        lock.lock();
        try {
            return seq;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        source.close();
    }

    String eventId(long sequence) {
        return id + "-" + sequence;
    }

    /** The sequence a {@code Last-Event-ID} of this reader stands at, or -1: a snapshot is needed. */
    private long resumable(String lastEventId) {
        if (lastEventId == null || !lastEventId.startsWith(id + "-")) {
            return -1;
        }
        try {
            long at = Long.parseLong(lastEventId.substring(id.length() + 1));
            return at >= 0 && at <= seq ? at : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Frame endFrame() {
        return new Frame(eventId(seq), "end", json.writeValueAsString(Map.of("reason", endReason)));
    }

    private Frame changesFrame(long at, List<StreamValue> values) {
        return new Frame(eventId(at), "changes", json.writeValueAsString(Map.of("changes", values)));
    }

    private StreamValue value(int k, byte[] from) {
        int at = k * valueLength;
        return new StreamValue(key.from() + k,
                MapService.encode(Arrays.copyOfRange(from, at, at + valueLength), key.format(), type, "stream"),
                rates == null ? null : Arrays.copyOfRange(rates, k * slots, (k + 1) * slots));
    }

    /** Rates of the changed elements from the bytes before ({@link #current}) and after ({@link #scratch}). */
    private void updateRates(int n, double seconds) {
        int width = key.format().width();
        for (int i = 0; i < n; i++) {
            int k = changed[i];
            boolean any = false;
            for (int s = 0; s < slots; s++) {
                int at = k * valueLength + s * width;
                // a counter's delta in two's complement: right across a u64 wrap, negative after a reset
                long delta = integer(scratch, at, width) - integer(current, at, width);
                double rate = seconds > 0 ? delta / seconds : 0;
                rates[k * slots + s] = rate;
                any |= rate != 0;
            }
            moving[k] = any;
        }
    }

    private long integer(byte[] bytes, int at, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (bytes[at + i] & 0xFF);
        }
        if (key.format().kind() == ValueFormat.Kind.SIGNED && width < 8) {
            int unused = 64 - 8 * width;
            v = v << unused >> unused;
        }
        return v;
    }

    /** Where a subscriber starts: its sequence, and the snapshot to send first (null on a resume). */
    record Start(long sequence, Frame snapshot) {
    }

    /** What to send next: the sequence after it, and the frame (null: a keep-alive, or cancelled). */
    record Next(long sequence, Frame frame) {
    }

    /** Whether a subscriber has gone. */
    interface Cancelled {
        boolean cancelled();
    }

    static long nanos(java.time.Duration d) {
        return TimeUnit.NANOSECONDS.convert(d);
    }
}
