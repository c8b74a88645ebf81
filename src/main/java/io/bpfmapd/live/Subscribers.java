package io.bpfmapd.live;

import io.bpfmapd.backend.Errno;
import io.bpfmapd.limits.LimitExceededException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The open streams against {@code bpfmapd.streams.max-subscribers}, and their metrics:
 * {@code bpfmapd.streams.subscribers} (gauge), {@code bpfmapd.streams.events} and
 * {@code bpfmapd.streams.bytes} (counters), each tagged {@code kind} ({@code values} or {@code events}).
 */
@Component
class Subscribers {

    /** Which stream a subscriber reads. */
    enum Kind {
        VALUES, EVENTS;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final int max;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<Kind, AtomicInteger> open = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> events = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> bytes = new EnumMap<>(Kind.class);

    Subscribers(StreamProperties properties, MeterRegistry meters) {
        this.max = properties.maxSubscribers();
        for (Kind kind : Kind.values()) {
            AtomicInteger n = new AtomicInteger();
            open.put(kind, n);
            Gauge.builder("bpfmapd.streams.subscribers", n, AtomicInteger::get)
                    .description("Open server-sent event streams").tag("kind", kind.tag()).register(meters);
            events.put(kind, Counter.builder("bpfmapd.streams.events").description("Events sent on streams")
                    .tag("kind", kind.tag()).register(meters));
            bytes.put(kind, Counter.builder("bpfmapd.streams.bytes").description("Bytes of events sent on streams")
                    .tag("kind", kind.tag()).register(meters));
        }
    }

    /**
     * Takes one stream slot; give it back with {@link #release}.
     *
     * @throws LimitExceededException 429 (ENFILE) when as many streams are open as bpfmapd.streams.max-subscribers
     */
    void reserve(Kind kind) {
        if (total.incrementAndGet() > max) {
            total.decrementAndGet();
            throw LimitExceededException.full("bpfmapd.streams.max-subscribers", max, Errno.ENFILE,
                    "the service holds " + max + " open streams, as many as it may; close one first");
        }
        open.get(kind).incrementAndGet();
    }

    void release(Kind kind) {
        open.get(kind).decrementAndGet();
        total.decrementAndGet();
    }

    void sent(Kind kind, long frameBytes) {
        events.get(kind).increment();
        bytes.get(kind).increment(frameBytes);
    }

    int open(Kind kind) {
        return open.get(kind).get();
    }
}
