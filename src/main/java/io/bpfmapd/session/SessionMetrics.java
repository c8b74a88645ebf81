package io.bpfmapd.session;

import io.bpfmapd.limits.ResourceLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/** The session meters: bpfmapd.sessions.*, bpfmapd.session.bytes.* and bpfmapd.mapped.bytes. */
final class SessionMetrics {

    private final MeterRegistry meters;
    private final Counter closed;
    private final Counter expired;
    private final Counter bytesRead;
    private final Counter bytesWritten;

    SessionMetrics(MeterRegistry meters, SessionRegistry registry, ResourceLimits limits) {
        this.meters = meters;
        for (SessionAccess access : SessionAccess.values()) {
            gauge("bpfmapd.sessions.active", "Open mmap sessions", registry, r -> r.activeCount(access))
                    .tag("access", access.name()).register(meters);
        }
        gauge("bpfmapd.sessions.mapped.bytes", "Bytes mapped by open sessions", registry,
                SessionRegistry::mappedBytes).register(meters);
        // The limits' own counts: what max-sessions and the mapped-bytes limits are held against.
        Gauge.builder("bpfmapd.sessions.temporary", limits, ResourceLimits::temporaryMappings)
                .description("Temporary read-only mappings of whole-map octet-stream reads streaming now (each "
                        + "counts as one of its principal's sessions)").register(meters);
        Gauge.builder("bpfmapd.mapped.bytes", limits, ResourceLimits::mappedBytes)
                .description("Bytes mapped by sessions and whole-map reads together, page-aligned, as "
                        + "bpfmapd.limits.max-total-mapped-bytes counts them").register(meters);
        this.closed = Counter.builder("bpfmapd.sessions.closed")
                .description("Sessions released by a close (or at shutdown)").register(meters);
        this.expired = Counter.builder("bpfmapd.sessions.expired")
                .description("Sessions released because their lease ran out").register(meters);
        this.bytesRead = Counter.builder("bpfmapd.session.bytes.read")
                .description("Bytes read through sessions").register(meters);
        this.bytesWritten = Counter.builder("bpfmapd.session.bytes.written")
                .description("Bytes written through sessions").register(meters);
    }

    private static Gauge.Builder<SessionRegistry> gauge(String name, String description, SessionRegistry registry,
                                                        ToDoubleFunction<SessionRegistry> value) {
        return Gauge.builder(name, registry, value).description(description);
    }

    /** @param outcome {@code ok} or the errno name that refused the session */
    void opened(String outcome) {
        Counter.builder("bpfmapd.sessions.opened").description("Session open attempts by outcome")
                .tag("outcome", outcome).register(meters).increment();
    }

    void closed() {
        closed.increment();
    }

    void expired() {
        expired.increment();
    }

    void read(long bytes) {
        bytesRead.increment(bytes);
    }

    void written(long bytes) {
        bytesWritten.increment(bytes);
    }
}
