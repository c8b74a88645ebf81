package io.bpfmapd.limits;

import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Counts what the service holds (maps, their bytes, sessions per principal) against
 * {@link LimitsProperties}. A reservation is taken before the backend allocates and given back if it
 * refuses, so that two racing requests cannot both take the last slot and a refused one holds nothing.
 */
@Component
public class ResourceLimits {

    private final LimitsProperties limits;
    private int maps;
    private long mapBytes;
    private int sessions;
    private final Map<String, Integer> sessionsByOwner = new HashMap<>();

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
     * @throws LimitExceededException E2BIG (400) for a value size or entry count above the limit, 429 when
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
        synchronized (this) {
            if (maps >= limits.maxMaps()) {
                throw LimitExceededException.full("bpfmapd.limits.max-maps", limits.maxMaps(), Errno.ENOSPC,
                        "the service holds " + maps + " maps, as many as it may; delete one first");
            }
            long max = limits.maxTotalMapBytes().toBytes();
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
     * Takes one session for {@code owner}.
     *
     * @throws LimitExceededException 429 when the owner, or the service, holds as many sessions as it may
     */
    public Reservation reserveSession(String owner) {
        synchronized (this) {
            int mine = sessionsByOwner.getOrDefault(owner, 0);
            if (mine >= limits.maxSessionsPerPrincipal()) {
                throw LimitExceededException.full("bpfmapd.limits.max-sessions-per-principal",
                        limits.maxSessionsPerPrincipal(), Errno.EMFILE, "'" + owner + "' holds " + mine
                                + " sessions, as many as one principal may; close one first");
            }
            if (sessions >= limits.maxSessions()) {
                throw LimitExceededException.full("bpfmapd.limits.max-sessions", limits.maxSessions(), Errno.ENFILE,
                        "the service holds " + sessions + " sessions, as many as it may");
            }
            sessions++;
            sessionsByOwner.put(owner, mine + 1);
        }
        return reservation(() -> releaseSession(owner));
    }

    /** Gives back a session taken by {@link #reserveSession} and kept. */
    public synchronized void releaseSession(String owner) {
        sessions--;
        sessionsByOwner.computeIfPresent(owner, (o, n) -> n > 1 ? n - 1 : null);
    }

    /**
     * Takes one slot of the total session limit for a temporary mapping the service makes for itself (an
     * octet-stream read of a whole map): like a session it holds a mapping of the map, and with it the
     * map, until it is closed, so it counts in the total; it belongs to no principal.
     *
     * @throws LimitExceededException 429 when the service holds as many sessions and temporary mappings as it may
     */
    public Reservation reserveTemporaryMapping() {
        synchronized (this) {
            if (sessions >= limits.maxSessions()) {
                throw LimitExceededException.full("bpfmapd.limits.max-sessions", limits.maxSessions(), Errno.ENFILE,
                        "the service holds " + sessions + " sessions and temporary mappings, as many as it may");
            }
            sessions++;
        }
        return reservation(this::releaseTemporaryMapping);
    }

    private synchronized void releaseTemporaryMapping() {
        sessions--;
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

    /** The memory a map holds on its backend: {@link MapGeometry#memorySize()}. */
    long bytes(MapGeometry geometry) {
        return geometry.memorySize();
    }

    private static Reservation reservation(Runnable release) {
        return new Reservation() {
            private boolean kept;
            private boolean closed;

            @Override
            public void keep() {
                kept = true;
            }

            @Override
            public void close() {
                if (!kept && !closed) {
                    closed = true;
                    release.run();
                }
            }
        };
    }
}
