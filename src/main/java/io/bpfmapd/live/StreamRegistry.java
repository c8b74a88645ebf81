package io.bpfmapd.live;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.limits.ResourceLimits;
import io.bpfmapd.map.MapEvent;
import io.bpfmapd.map.MapService;
import io.bpfmapd.map.ValueFormat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The value streams: one {@link WindowReader} per {@link WindowKey}, shared by its subscribers and
 * ticked on one scheduler thread; one virtual thread per subscriber that waits for the reader and
 * writes to its client, so a slow client blocks only itself. A reader goes when its last subscriber
 * does (and with it its mapping). A deleted map ends its streams with {@code event: end}
 * ({@code {"reason": "map deleted"}}); so does shutdown ({@code "shutdown"}), as a {@link SmartLifecycle}
 * stopped before the web server's graceful shutdown waits for open requests.
 */
@Component
public class StreamRegistry implements SmartLifecycle {

    static final String MAP_DELETED = "map deleted";
    static final String SHUTDOWN = "shutdown";

    private static final Logger log = LoggerFactory.getLogger(StreamRegistry.class);

    private final MapService maps;
    private final ResourceLimits limits;
    private final StreamProperties properties;
    private final ApiProperties api;
    private final JsonMapper json;
    private final Subscribers subscribers;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("stream-reader").daemon().factory());
    /** Guarded by this. */
    private final Map<WindowKey, Entry> readers = new HashMap<>();
    private volatile boolean running;

    StreamRegistry(MapService maps, ResourceLimits limits, StreamProperties properties, ApiProperties api,
                   JsonMapper json, Subscribers subscribers, MeterRegistry meters) {
        this.maps = maps;
        this.limits = limits;
        this.properties = properties;
        this.api = api;
        this.json = json;
        this.subscribers = subscribers;
        Gauge.builder("bpfmapd.streams.readers", this, StreamRegistry::readerCount)
                .description("Shared readers of value stream windows (one mapping or lookup pass each)")
                .register(meters);
    }

    /**
     * The window a stream request asks for, checked as a range read is: from within the map, and the
     * values together at most bpfmapd.api.max-json-bytes (the snapshot's memory); without a count, as many
     * as that allows up to the end of the map.
     *
     * @throws BpfException EINVAL for a bad from, count, format, interval, or rate on a string format
     */
    WindowKey window(String mapId, int from, Integer count, String format, Duration interval, boolean rate) {
        ValueFormat f = ValueFormat.parse(format);
        Duration every = interval == null ? properties.defaultInterval() : interval;
        if (every.compareTo(properties.minInterval()) < 0) {
            throw new BpfException(Errno.EINVAL, "stream", "interval " + every.toMillis() + "ms is below "
                    + properties.minInterval().toMillis() + "ms (bpfmapd.streams.min-interval)");
        }
        if (rate && !f.integers()) {
            throw new BpfException(Errno.EINVAL, "stream", "rate=true needs an integer format (u8 ... i64), not " + f.field());
        }
        maps.typedValues(mapId, f); // typed on a map without BTF: EINVAL before the stream starts
        long entries = Integer.toUnsignedLong(maps.spec(mapId).maxEntries());
        long valueLength = maps.geometry(mapId).valueSize();
        long fit = api.maxJsonBytes() / valueLength;
        if (from < 0 || from >= entries) {
            throw new BpfException(Errno.EINVAL, "stream", "from must be in [0, " + entries + "); got " + from);
        }
        long n = count == null ? Math.min(entries - from, fit) : count;
        if (n <= 0 || n > entries - from || n > fit) {
            throw new BpfException(Errno.EINVAL, "stream", "count must be in [1, " + Math.min(entries - from, fit)
                    + "]: the window ends at maxEntries and its values are at most " + api.maxJsonBytes()
                    + " bytes (bpfmapd.api.max-json-bytes); got " + (count == null ? "none fits" : count));
        }
        if (valueLength % f.width() != 0) {
            throw new BpfException(Errno.EINVAL, "stream", valueLength + " bytes are not a whole number of "
                    + f.field() + "; use hex or base64");
        }
        return new WindowKey(mapId, from, (int) n, f, rate, every);
    }

    /**
     * Subscribes to a window: the snapshot (or, with a {@code Last-Event-ID} this reader still knows, the
     * changes since it) and then the changes, until the client goes, the map is deleted or the service stops.
     *
     * @throws io.bpfmapd.limits.LimitExceededException 429 past bpfmapd.streams.max-subscribers (or, for a new
     *                                                  mapped reader, bpfmapd.limits.max-sessions)
     * @throws io.bpfmapd.map.MapNotFoundException      for an unknown map
     * @throws BpfException                             the first read's errno
     */
    SseEmitter subscribe(WindowKey key, String lastEventId) {
        if (!running) {
            throw new BpfException(Errno.EAGAIN, "stream", "the service is stopping");
        }
        subscribers.reserve(Subscribers.Kind.VALUES);
        Entry entry;
        try {
            entry = join(key);
        } catch (RuntimeException e) {
            subscribers.release(Subscribers.Kind.VALUES);
            throw e;
        }
        SseEmitter emitter = new SseEmitter(0L); // no timeout: the stream lives until one side ends it
        Subscription subscription = new Subscription(entry, emitter, lastEventId);
        emitter.onCompletion(subscription::cancel);
        emitter.onError(e -> subscription.cancel());
        emitter.onTimeout(subscription::cancel);
        Thread.ofVirtual().name("stream-" + key.mapId()).start(subscription);
        return emitter;
    }

    /** Ends the streams of a deleted map. */
    @EventListener
    void on(MapEvent event) {
        if (event.kind() == MapEvent.Kind.DELETED) {
            for (Entry entry : entries()) {
                if (entry.reader.key.mapId().equals(event.mapId())) {
                    entry.reader.end(MAP_DELETED);
                }
            }
        }
    }

    /** Shared readers now, for the metric and tests. */
    synchronized int readerCount() {
        return readers.size();
    }

    /** The reader of a window, if one runs: for tests. */
    synchronized WindowReader reader(WindowKey key) {
        Entry entry = readers.get(key);
        return entry == null ? null : entry.reader;
    }

    private synchronized Entry join(WindowKey key) {
        Entry entry = readers.get(key);
        if (entry == null || entry.reader.ended()) {
            ElementSource source = ElementSource.open(maps, limits, key.mapId(), key.from(), key.count());
            WindowReader reader;
            try {
                reader = new WindowReader(key, source, json, maps.typedValues(key.mapId(), key.format()));
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
            long every = key.interval().toNanos();
            entry = new Entry(reader);
            entry.tick = ticker.scheduleAtFixedRate(() -> safeTick(reader), every, every, TimeUnit.NANOSECONDS);
            readers.put(key, entry);
        }
        entry.subscribers++;
        return entry;
    }

    private void safeTick(WindowReader reader) {
        try {
            reader.tick();
        } catch (RuntimeException e) {
            // a failing tick must not cancel the schedule of the others: end this stream and say why
            log.warn("value stream of map {} failed", reader.key.mapId(), e);
            reader.end("read failed: " + e.getMessage());
        }
    }

    private synchronized void leave(Entry entry) {
        if (--entry.subscribers == 0) {
            readers.remove(entry.reader.key, entry);
            entry.tick.cancel(false);
            entry.reader.end("no subscribers");
            entry.reader.close();
        }
        subscribers.release(Subscribers.Kind.VALUES);
    }

    private synchronized List<Entry> entries() {
        return new ArrayList<>(readers.values());
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every stream with {@code shutdown}; runs before the web server stops (the default phase is last to start, first to stop). */
    @Override
    public void stop() {
        running = false;
        for (Entry entry : entries()) {
            entry.reader.end(SHUTDOWN);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** A reader and how many subscribe to it. */
    private static final class Entry {
        final WindowReader reader;
        ScheduledFuture<?> tick;
        int subscribers;

        Entry(WindowReader reader) {
            this.reader = reader;
        }
    }

    /** One client: its position in the reader's sequence, and the thread that writes to it. */
    private final class Subscription implements Runnable, WindowReader.Cancelled {
        private final Entry entry;
        private final SseEmitter emitter;
        private final String lastEventId;
        private volatile boolean cancelled;

        Subscription(Entry entry, SseEmitter emitter, String lastEventId) {
            this.entry = entry;
            this.emitter = emitter;
            this.lastEventId = lastEventId;
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        void cancel() {
            cancelled = true;
            entry.reader.wake();
        }

        @Override
        public void run() {
            WindowReader reader = entry.reader;
            long heartbeat = properties.heartbeat().toNanos();
            try {
                WindowReader.Start start = reader.start(lastEventId);
                long sent = start.sequence();
                if (start.snapshot() != null) {
                    send(start.snapshot());
                }
                while (!cancelled) {
                    WindowReader.Next next = reader.next(sent, heartbeat, this);
                    if (cancelled) {
                        break;
                    }
                    if (next.frame() == null) {
                        emitter.send(SseEmitter.event().comment(" keep-alive"));
                        continue;
                    }
                    send(next.frame());
                    sent = next.sequence();
                    if (next.frame().name().equals("end")) {
                        emitter.complete();
                        break;
                    }
                }
            } catch (IOException | IllegalStateException gone) {
                // the client went away (or the emitter completed): nothing to tell it
                log.debug("value stream subscriber of map {} gone: {}", reader.key.mapId(), gone.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("value stream subscriber of map {} failed", reader.key.mapId(), e);
                emitter.completeWithError(e);
            } finally {
                leave(entry);
            }
        }

        private void send(Frame frame) throws IOException {
            subscribers.sent(Subscribers.Kind.VALUES, frame.sendTo(emitter));
        }
    }
}
