package io.bpfmapd.limits;

import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.PageSize;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;

/**
 * Counts what the service holds (maps, their bytes, sessions and mapped bytes per principal) against
 * {@link LimitsProperties}. A reservation is taken before the backend allocates and given back if it
 * refuses, so that two racing requests cannot both take the last slot and a refused one holds nothing.
 */
@Component
public class ResourceLimits {

    static final String MAX_TOTAL_MAPPED_BYTES = LimitsProperties.PREFIX + ".max-total-mapped-bytes";
    static final String MAX_MAPPED_BYTES_PER_PRINCIPAL = LimitsProperties.PREFIX + ".max-mapped-bytes-per-principal";

    private final LimitsProperties limits;
    private int maps;
    private long mapBytes;
    private int sessions;
    private final Map<String, Integer> sessionsByOwner = new HashMap<>();
    private long mappedBytes;
    private final Map<String, Long> mappedBytesByOwner = new HashMap<>();
    private int temporaryMappings;

    public ResourceLimits(LimitsProperties limits) {
        this.limits = limits;
    }

    /** Something held until {@link #close()}, unless {@link #keep()} was called first. */
    public interface Reservation extends AutoCloseable {
        void keep();

        @Override
        void close();
    }

    /**
     * Takes one map and its bytes, after checking its value size and entries. Sizes are the kernel's
     * u32 ({@code union bpf_attr}), so a negative number is a huge one and refused here; zero passes, so
     * that the backend answers it with its own errno (EINVAL).
     *
     * @throws LimitExceededException E2BIG (400) for a value size, entry count or map size above the limit
     *                                (a map larger than {@code max-total-map-bytes} can never fit), 429 when
     *                                the service holds as many maps or bytes as it may
     */
    public Reservation reserveMap(MapGeometry geometry) {
        MapSpec spec = geometry.spec();
        if (Integer.toUnsignedLong(spec.valueSize()) > limits.maxValueSize().toBytes()) {
            throw LimitExceededException.tooBig("bpfmapd.limits.max-value-size", limits.maxValueSize().toBytes(),
                    "valueSize " + Integer.toUnsignedString(spec.valueSize()) + " is above the " + limits.maxValueSize().toBytes()
                            + " bytes this service allows");
        }
        if (Integer.toUnsignedLong(spec.maxEntries()) > limits.maxEntries()) {
            throw LimitExceededException.tooBig("bpfmapd.limits.max-entries", limits.maxEntries(),
                    "maxEntries " + Integer.toUnsignedString(spec.maxEntries()) + " is above the " + limits.maxEntries() + " this service allows");
        }
        long bytes = bytes(geometry);
        long max = limits.maxTotalMapBytes().toBytes();
        if (bytes > max) {
            // Larger than all maps together may be: no delete makes room, so no retry can succeed (not a 429).
            throw LimitExceededException.tooBig("bpfmapd.limits.max-total-map-bytes", max,
                    "a map of " + bytes + " bytes is larger than the " + max + " bytes all maps together may hold");
        }
        synchronized (this) {
            if (maps >= limits.maxMaps()) {
                throw LimitExceededException.full("bpfmapd.limits.max-maps", limits.maxMaps(), Errno.ENOSPC,
                        "the service holds " + maps + " maps, as many as it may; delete one first");
            }
            if (bytes > max - mapBytes) {
                throw LimitExceededException.full("bpfmapd.limits.max-total-map-bytes", max, Errno.ENOSPC,
                        "a map of " + bytes + " bytes does not fit: " + mapBytes + " of " + max
                                + " bytes of map memory are in use");
            }
            maps++;
            mapBytes += bytes;
        }
        return reservation(() -> releaseMap(geometry));
    }

    /** Gives back a map taken by {@link #reserveMap} and kept: {@link #releaseMapEntry} and {@link #releaseMapBytes}. */
    public synchronized void releaseMap(MapGeometry geometry) {
        releaseMapEntry();
        releaseMapBytes(geometry);
    }

    /** The map is gone from the service, but mappings may still hold its memory: one map fewer, same bytes. */
    public synchronized void releaseMapEntry() {
        maps--;
    }

    /** The map's memory is freed: its last holder (the service's handle or a mapping) is gone. */
    public synchronized void releaseMapBytes(MapGeometry geometry) {
        mapBytes -= bytes(geometry);
    }

    /**
     * Takes one session for {@code owner}, mapping {@code length} bytes.
     *
     * @throws LimitExceededException E2BIG (400) for a mapping larger than any principal may map; 429 when
     *                                the owner, or the service, holds as many sessions (EMFILE, ENFILE) or
     *                                mapped bytes (ENOMEM) as it may
     */
    public Reservation reserveSession(String owner, long length) {
        return reserveMapping(owner, length, false);
    }

    /** Gives back a session taken by {@link #reserveSession} and kept: its slot and its mapped bytes. */
    public synchronized void releaseSession(String owner, long length) {
        releaseMapping(owner, length, false);
    }

    /**
     * Takes a slot and the mapped bytes of a temporary mapping the service makes for {@code owner}'s
     * octet-stream read of a whole map: like a session it holds a mapping of the map, and with it the
     * map, until it is closed, so it counts as one of the owner's sessions and in the total.
     *
     * @throws LimitExceededException as {@link #reserveSession}
     */
    public Reservation reserveTemporaryMapping(String owner, long length) {
        return reserveMapping(owner, length, true);
    }

    /**
     * The checks in the kernel's order of kinds: a request too large in itself first (as {@code do_mmap}
     * answers a length it can never map before it looks at what is mapped), then counts, then bytes.
     * A mapping takes whole pages ({@code PAGE_ALIGN(len)} in {@code do_mmap}, mm/mmap.c), so its bytes
     * are counted page-aligned.
     */
    private Reservation reserveMapping(String owner, long length, boolean temporary) {
        long bytes = MapGeometry.roundUp(length, PageSize.machine());
        long maxMine = limits.maxMappedBytesPerPrincipal().toBytes();
        long maxAll = limits.maxTotalMappedBytes().toBytes();
        if (bytes > maxMine) {
            throw LimitExceededException.tooBig(MAX_MAPPED_BYTES_PER_PRINCIPAL, maxMine, "a mapping of " + bytes
                    + " bytes is larger than the " + maxMine + " bytes one principal may map; map a smaller window");
        }
        if (bytes > maxAll) {
            throw LimitExceededException.tooBig(MAX_TOTAL_MAPPED_BYTES, maxAll, "a mapping of " + bytes
                    + " bytes is larger than the " + maxAll + " bytes the service maps in all; map a smaller window");
        }
        String what = temporary ? "sessions and whole-map reads" : "sessions";
        synchronized (this) {
            int mine = sessionsByOwner.getOrDefault(owner, 0);
            if (mine >= limits.maxSessionsPerPrincipal()) {
                throw LimitExceededException.full("bpfmapd.limits.max-sessions-per-principal",
                        limits.maxSessionsPerPrincipal(), Errno.EMFILE, "'" + owner + "' holds " + mine
                                + " " + what + ", as many as one principal may; close one first");
            }
            if (sessions >= limits.maxSessions()) {
                throw LimitExceededException.full("bpfmapd.limits.max-sessions", limits.maxSessions(), Errno.ENFILE,
                        "the service holds " + sessions + " sessions and temporary mappings, as many as it may");
            }
            long mineBytes = mappedBytesByOwner.getOrDefault(owner, 0L);
            if (bytes > maxMine - mineBytes) {
                throw LimitExceededException.full(MAX_MAPPED_BYTES_PER_PRINCIPAL, maxMine, Errno.ENOMEM,
                        "a mapping of " + bytes + " bytes does not fit: '" + owner + "' maps " + mineBytes + " of "
                                + maxMine + " bytes; close a session first");
            }
            if (bytes > maxAll - mappedBytes) {
                throw LimitExceededException.full(MAX_TOTAL_MAPPED_BYTES, maxAll, Errno.ENOMEM,
                        "a mapping of " + bytes + " bytes does not fit: " + mappedBytes + " of " + maxAll
                                + " bytes are mapped");
            }
            sessions++;
            sessionsByOwner.put(owner, mine + 1);
            mappedBytes += bytes;
            mappedBytesByOwner.put(owner, mineBytes + bytes);
            if (temporary) {
                temporaryMappings++;
            }
        }
        return reservation(() -> releaseMapping(owner, length, temporary));
    }

    private synchronized void releaseMapping(String owner, long length, boolean temporary) {
        long bytes = MapGeometry.roundUp(length, PageSize.machine());
        sessions--;
        sessionsByOwner.computeIfPresent(owner, (o, n) -> n > 1 ? n - 1 : null);
        mappedBytes -= bytes;
        mappedBytesByOwner.computeIfPresent(owner, (o, n) -> n > bytes ? n - bytes : null);
        if (temporary) {
            temporaryMappings--;
        }
    }

    /** Bytes mapped by sessions and temporary mappings, page-aligned, as the mapped-bytes limits count them. */
    public synchronized long mappedBytes() {
        return mappedBytes;
    }

    /** Bytes mapped by one principal's sessions and whole-map reads. */
    public synchronized long mappedBytes(String owner) {
        return mappedBytesByOwner.getOrDefault(owner, 0L);
    }

    /** Temporary mappings of whole-map octet-stream reads held now (they are in {@link #sessions()} too). */
    public synchronized int temporaryMappings() {
        return temporaryMappings;
    }

    /** How long a whole-map read may go without the client taking a byte (bpfmapd.limits.stream-stall-timeout). */
    public java.time.Duration streamStallTimeout() {
        return limits.streamStallTimeout();
    }

    public synchronized int maps() {
        return maps;
    }

    public synchronized long mapBytes() {
        return mapBytes;
    }

    /** Sessions and temporary mappings held. */
    public synchronized int sessions() {
        return sessions;
    }

    /** Sessions and temporary mappings one principal holds. */
    public synchronized int sessions(String owner) {
        return sessionsByOwner.getOrDefault(owner, 0);
    }

    /** The memory a map holds on its backend: {@link MapGeometry#memorySize()}. */
    long bytes(MapGeometry geometry) {
        return geometry.memorySize();
    }

    private static Reservation reservation(Runnable release) {
        // Thread-safe: a stalled stream's watchdog and the stream's own end may close it at once.
        return new Reservation() {
            private volatile boolean kept;
            private final AtomicBoolean closed = new AtomicBoolean();

            @Override
            public void keep() {
                kept = true;
            }

            @Override
            public void close() {
                if (!kept && closed.compareAndSet(false, true)) {
                    release.run();
                }
            }
        };
    }
}
