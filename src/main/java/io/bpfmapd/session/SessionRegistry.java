package io.bpfmapd.session;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.MappingClosedException;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.config.SessionProperties;
import io.bpfmapd.limits.LimitExceededException;
import io.bpfmapd.limits.LimitsProperties;
import io.bpfmapd.limits.ResourceLimits;
import io.bpfmapd.map.EncodedValue;
import io.bpfmapd.map.MapService;
import io.bpfmapd.map.ValueFormat;
import io.bpfmapd.map.TypedValues;
import io.bpfmapd.typed.TypedPatch;
import io.bpfmapd.map.SessionCounter;
import io.bpfmapd.map.SessionCounts;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The open mmap sessions: each one a {@link Mapping} held as a lease. A lease not renewed in time is
 * released exactly as a close would release it (the mapping is unmapped, so its writecnt drops and a
 * freeze refused with EBUSY can succeed). A lease found past its expiry on use is released then, so
 * expiry does not wait for the sweeper.
 */
@Service
public class SessionRegistry implements SessionCounter, ApplicationEventPublisherAware {

    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

    private final MapService maps;
    private final SessionProperties properties;
    private final ApiProperties api;
    private final Clock clock;
    private final SessionMetrics metrics;
    private final ResourceLimits limits;
    private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
    /** Where {@link SessionEvent}s go; nowhere for a registry built by hand. */
    private ApplicationEventPublisher events = event -> { };

    /** With the default {@code bpfmapd.limits}: for tests and tools that build the registry by hand. */
    public SessionRegistry(MapService maps, SessionProperties properties, ApiProperties api, Clock clock,
                           MeterRegistry meters) {
        this(maps, properties, api, clock, meters, new ResourceLimits(LimitsProperties.defaults()));
    }

    @Autowired
    public SessionRegistry(MapService maps, SessionProperties properties, ApiProperties api, Clock clock,
                           MeterRegistry meters, ResourceLimits limits) {
        this.maps = maps;
        this.limits = limits;
        this.properties = properties;
        this.api = api;
        this.clock = clock;
        this.metrics = new SessionMetrics(meters, this, limits);
    }

    /**
     * mmap of a window of the map's value area, held for {@code ttlSeconds}.
     *
     * @throws BpfException the mmap errno (EINVAL, EACCES, EPERM, ENOTSUPP), or EINVAL for a TTL out of range
     */
    public SessionResource open(String mapId, OpenSessionRequest request, String owner) {
        try {
            Duration ttl = ttl(request.ttlSeconds(), "session.open");
            long offset = request.offset() == null ? 0 : request.offset();
            boolean writable = request.access() == SessionAccess.READ_WRITE;
            long area = maps.geometry(mapId).dataSize();
            long length = request.length() != null ? request.length() : area - offset;
            if (length > area) {
                // The kernel's do_mmap (mm/mmap.c) answers ENOMEM for a length beyond the address
                // space before array_map_mmap sees it; over HTTP that would read as the service
                // running out of memory (503), so a window larger than the whole value area is
                // refused here as the EINVAL any smaller out-of-range window gets.
                throw new BpfException(Errno.EINVAL, "mmap", "length " + length + " is larger than the "
                        + area + "-byte value area");
            }
            if (length <= 0) {
                // bpf_map_mmap refuses a range past the value area the same way
                throw new BpfException(Errno.EINVAL, "mmap", "offset " + offset + " is at or past the end of the "
                        + area + "-byte value area");
            }
            Mapping mapping;
            try (ResourceLimits.Reservation reservation = limits.reserveSession(owner, length)) {
                mapping = maps.mmap(mapId, offset, length, writable);
                reservation.keep();
            }
            Instant now = clock.instant();
            Lease lease = new Lease(UUID.randomUUID().toString(), mapId, request.access(), owner, now, now.plus(ttl),
                    mapping);
            leases.put(lease.id(), lease);
            metrics.opened("ok");
            log.debug("opened session {} on map {} ({}, {} bytes at {})", lease.id(), mapId, request.access(),
                    mapping.length(), mapping.offset());
            SessionResource opened = lease.resource();
            publish(SessionEvent.Kind.OPENED, opened);
            return opened;
        } catch (BpfException e) {
            metrics.opened(e.errno().name());
            throw e;
        } catch (LimitExceededException e) {
            metrics.opened(e.errno().name());
            throw e;
        }
    }

    public List<SessionResource> list(String mapId) {
        expireDue();
        return leases.values().stream()
                .filter(l -> mapId == null || l.mapId().equals(mapId))
                .map(Lease::resource)
                .sorted(Comparator.comparing(SessionResource::createdAt).thenComparing(SessionResource::id))
                .toList();
    }

    /** @throws SessionNotFoundException for an unknown, closed or expired session */
    public SessionResource get(String sessionId) {
        return lease(sessionId).resource();
    }

    /** Sets the expiry to now + TTL. @throws BpfException EINVAL for a TTL out of range */
    public SessionResource renew(String sessionId, Long ttlSeconds) {
        Duration ttl = ttl(ttlSeconds, "session.renew");
        Lease lease = lease(sessionId);
        if (!lease.renew(clock.instant().plus(ttl))) {
            throw new SessionNotFoundException(sessionId);
        }
        SessionResource renewed = lease.resource();
        publish(SessionEvent.Kind.RENEWED, renewed);
        return renewed;
    }

    /** munmap. @throws SessionNotFoundException for an unknown, closed or expired session */
    public void close(String sessionId) {
        Lease lease = lease(sessionId);
        if (!release(lease, false, Instant.MIN)) {
            throw new SessionNotFoundException(sessionId);
        }
    }

    /**
     * Reads {@code length} bytes at {@code offset} of the window (default: to the window's end) into the heap.
     *
     * @throws BpfException           EINVAL out of the window or above bpfmapd.api.max-json-bytes
     * @throws SessionClosedException the session was released while the read ran
     */
    public byte[] read(String sessionId, long offset, Long length) {
        Lease lease = lease(sessionId);
        long n = checkedLength(lease, offset, length, "session.read");
        if (n > api.maxJsonBytes()) {
            throw new BpfException(Errno.EINVAL, "session.read", "a JSON read returns at most " + api.maxJsonBytes()
                    + " bytes (bpfmapd.api.max-json-bytes); ask for less or for application/octet-stream");
        }
        byte[] bytes = new byte[(int) n];
        try {
            lease.mapping().read(offset, bytes, 0, bytes.length);
        } catch (MappingClosedException e) {
            throw new SessionClosedException(sessionId, e);
        }
        metrics.read(n);
        return bytes;
    }

    /**
     * Streams {@code length} bytes at {@code offset} of the window straight from the mapping.
     * Bounds are checked now; the bytes are read when {@link SessionStream#writeTo} runs.
     */
    public SessionStream stream(String sessionId, long offset, Long length) {
        Lease lease = lease(sessionId);
        long n = checkedLength(lease, offset, length, "session.read");
        return new SessionStream(n, out -> {
            try {
                lease.mapping().transferTo(offset, n, out);
            } catch (MappingClosedException e) {
                throw new SessionClosedException(sessionId, e);
            }
            metrics.read(n);
        });
    }

    /**
     * Writes {@code bytes} at {@code offset} of the window; nothing is written unless all of it fits.
     *
     * @throws BpfException           EACCES for a READ_ONLY session, EINVAL out of the window
     * @throws SessionClosedException the session was released while the write ran
     */
    public void write(String sessionId, long offset, byte[] bytes) {
        Lease lease = lease(sessionId);
        if (lease.access() != SessionAccess.READ_WRITE) {
            throw new BpfException(Errno.EACCES, "session.write", "session " + sessionId + " is READ_ONLY");
        }
        checkedLength(lease, offset, (long) bytes.length, "session.write");
        try {
            lease.mapping().write(offset, bytes, 0, bytes.length);
        } catch (MappingClosedException e) {
            throw new SessionClosedException(sessionId, e);
        }
        metrics.written(bytes.length);
    }

    /**
     * Reads the elements of {@code [offset, offset + length)} of the window as typed values. The range must
     * hold whole elements of the data area ({@code elem_size} = {@code round_up(value_size, 8)} bytes, the
     * first at the area's start): an offset inside an element, or a length that is not a whole number of
     * them, is EINVAL; without a length, the whole elements from offset to the window's end or the last
     * element, whichever is first. The map's type comes from the service's handle on the map, so a session
     * whose map was deleted reads typed no more (404, the map is gone).
     *
     * @throws BpfException EINVAL (operation "format") for a map without a BTF value type or a range that is
     *                      not whole elements; what {@link #read} throws
     */
    public EncodedValue readTyped(String sessionId, long offset, Long length) {
        Lease lease = lease(sessionId);
        TypedValues type = maps.typedValues(lease.mapId(), ValueFormat.TYPED);
        long n = elements(lease, type, offset, length);
        return type.elements(read(sessionId, offset, n));
    }

    /**
     * Writes typed elements (a JSON array, the first at {@code offset}) through the mapping: only the bytes
     * the JSON names are written, so a BPF program's writes to the other fields survive (a byte a bitfield
     * shares with another field is read, merged and written back, which a program may race). Checked whole
     * before any byte is written.
     *
     * @throws BpfException EACCES for a READ_ONLY session; EINVAL naming the element and field path, or
     *                      (operation "format") a map without a BTF value type or a range that is not whole
     *                      elements within the window
     */
    public void writeTyped(String sessionId, long offset, JsonNode json) {
        Lease lease = lease(sessionId);
        if (lease.access() != SessionAccess.READ_WRITE) {
            throw new BpfException(Errno.EACCES, "session.write", "session " + sessionId + " is READ_ONLY");
        }
        TypedValues type = maps.typedValues(lease.mapId(), ValueFormat.TYPED);
        List<TypedPatch> patches = type.elementPatches(json);
        long n = elements(lease, type, offset, patches.size() * type.elemSize());
        checkedLength(lease, offset, n, "session.write");
        Mapping mapping = lease.mapping();
        TypedPatch.Target target = new TypedPatch.Target() {
            private final byte[] one = new byte[1];

            public byte read(long at) {
                mapping.read(at, one, 0, 1);
                return one[0];
            }

            public void write(long at, byte[] src, int from, int length) {
                mapping.write(at, src, from, length);
            }
        };
        try {
            for (int i = 0; i < patches.size(); i++) {
                patches.get(i).applyTo(target, offset + i * type.elemSize());
            }
        } catch (MappingClosedException e) {
            throw new SessionClosedException(sessionId, e);
        }
        metrics.written(n);
    }

    /** The length of the whole elements a typed read or write of the window covers (see {@link #readTyped}). */
    private long elements(Lease lease, TypedValues type, long offset, Long length) {
        long elem = type.elemSize();
        long window = lease.mapping().length();
        long start = lease.mapping().offset() + offset;
        long dataEnd = Integer.toUnsignedLong(maps.spec(lease.mapId()).maxEntries()) * elem;
        if (offset < 0 || offset > window) {
            throw new BpfException(Errno.EINVAL, "format", "offset " + offset + " is outside the session's " + window
                    + "-byte window");
        }
        if (start % elem != 0) {
            throw new BpfException(Errno.EINVAL, "format", "format=typed reads and writes whole elements: offset "
                    + offset + " is byte " + start % elem + " of an element (elements are " + elem + " bytes apart, "
                    + "the window starts at byte " + lease.mapping().offset() + " of the map's values)");
        }
        long n = length != null ? length : Math.max(0, Math.min(window - offset, dataEnd - start)) / elem * elem;
        if (n % elem != 0 || start + n > dataEnd) {
            throw new BpfException(Errno.EINVAL, "format", "format=typed reads and writes whole elements: " + n
                    + " bytes from byte " + start + " are not whole elements of " + elem + " bytes up to the last, "
                    + "which ends at byte " + dataEnd);
        }
        return n;
    }

    /** The window length of a session: the bytes a write body may at most hold. */
    public long windowLength(String sessionId) {
        return lease(sessionId).mapping().length();
    }

    /** Releases every lease whose expiry has passed; the sweeper calls this every sweep interval. */
    public int expireDue() {
        Instant now = clock.instant();
        int expired = 0;
        for (Lease lease : leases.values()) {
            if (lease.isDue(now) && release(lease, true, now)) {
                expired++;
            }
        }
        return expired;
    }

    /** Releases every session at shutdown, before the maps and the backends are closed. */
    @PreDestroy
    public void releaseAll() {
        int n = 0;
        for (Lease lease : List.copyOf(leases.values())) {
            if (release(lease, false, Instant.MIN)) {
                n++;
            }
        }
        if (n > 0) {
            log.info("released {} open sessions at shutdown", n);
        }
    }

    @Override
    public SessionCounts countFor(String mapId) {
        int active = 0;
        int writable = 0;
        for (Lease lease : leases.values()) {
            if (lease.mapId().equals(mapId)) {
                active++;
                if (lease.access() == SessionAccess.READ_WRITE) {
                    writable++;
                }
            }
        }
        return new SessionCounts(active, writable, maps.temporaryMappings(mapId));
    }

    int activeCount(SessionAccess access) {
        return (int) leases.values().stream().filter(l -> l.access() == access).count();
    }

    long mappedBytes() {
        return leases.values().stream().mapToLong(l -> l.mapping().length()).sum();
    }

    /** Open sessions, for tests and shutdown checks. */
    public int size() {
        return leases.size();
    }

    private Lease lease(String sessionId) {
        Lease lease = leases.get(sessionId);
        if (lease == null) {
            throw new SessionNotFoundException(sessionId);
        }
        Instant now = clock.instant();
        if (lease.isDue(now)) {
            release(lease, true, now);
            throw new SessionNotFoundException(sessionId);
        }
        return lease;
    }

    /** Unmaps and forgets the lease once; {@code expiry} releases only a lease that is still due. */
    private boolean release(Lease lease, boolean expiry, Instant now) {
        if (!lease.markReleased(expiry, now)) {
            return false;
        }
        leases.remove(lease.id(), lease);
        limits.releaseSession(lease.owner(), lease.mapping().length());
        SessionResource released = lease.resource();
        try {
            lease.mapping().close();
        } catch (RuntimeException e) {
            log.warn("munmap of session {} failed", lease.id(), e);
        }
        if (expiry) {
            metrics.expired();
            log.info("session {} on map {} expired", lease.id(), lease.mapId());
        } else {
            metrics.closed();
        }
        publish(expiry ? SessionEvent.Kind.EXPIRED : SessionEvent.Kind.CLOSED, released);
        return true;
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
        this.events = publisher;
    }

    private void publish(SessionEvent.Kind kind, SessionResource session) {
        try {
            events.publishEvent(new SessionEvent(kind, session, clock.instant()));
        } catch (RuntimeException e) {
            // The change took effect; a listener that fails (one being destroyed at shutdown) must not
            // turn it into an error for the caller.
            log.warn("a listener of SessionEvent {} failed", kind, e);
        }
    }

    private Duration ttl(Long ttlSeconds, String operation) {
        if (ttlSeconds == null) {
            return properties.defaultTtl();
        }
        if (ttlSeconds <= 0 || ttlSeconds > properties.maxTtl().toSeconds()) {
            throw new BpfException(Errno.EINVAL, operation, "ttlSeconds must be in [1, " + properties.maxTtl().toSeconds()
                    + "] (bpfmapd.sessions.max-ttl); got " + ttlSeconds);
        }
        return Duration.ofSeconds(ttlSeconds);
    }

    private static long checkedLength(Lease lease, long offset, Long length, String operation) {
        long window = lease.mapping().length();
        long n = length != null ? length : window - offset;
        if (offset < 0 || n < 0 || offset > window || n > window - offset) {
            throw new BpfException(Errno.EINVAL, operation, "range [" + offset + ", " + offset + " + " + n
                    + ") is outside the session's " + window + "-byte window");
        }
        return n;
    }

    /** Session bytes of known length, written once. */
    public record SessionStream(long length, Body body) {

        @FunctionalInterface
        public interface Body {
            void writeTo(OutputStream out) throws IOException;
        }
    }
}
