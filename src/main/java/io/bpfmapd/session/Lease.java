package io.bpfmapd.session;

import io.bpfmapd.backend.Mapping;
import java.time.Instant;

/**
 * One session: a mapping held until closed or until {@link #expiresAt()} passes without a renewal.
 * Renewal and release decide under the lease's monitor, so a renewal never revives a released lease.
 */
final class Lease {

    private final String id;
    private final String mapId;
    private final SessionAccess access;
    private final String owner;
    private final Instant createdAt;
    private final Mapping mapping;
    private Instant expiresAt;
    private boolean released;

    Lease(String id, String mapId, SessionAccess access, String owner, Instant createdAt, Instant expiresAt,
          Mapping mapping) {
        this.id = id;
        this.mapId = mapId;
        this.access = access;
        this.owner = owner;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.mapping = mapping;
    }

    String id() {
        return id;
    }

    String mapId() {
        return mapId;
    }

    String owner() {
        return owner;
    }

    SessionAccess access() {
        return access;
    }

    Mapping mapping() {
        return mapping;
    }

    synchronized Instant expiresAt() {
        return expiresAt;
    }

    synchronized boolean isDue(Instant now) {
        return !released && !now.isBefore(expiresAt);
    }

    /** @return false when the lease was released already */
    synchronized boolean renew(Instant newExpiry) {
        if (released) {
            return false;
        }
        expiresAt = newExpiry;
        return true;
    }

    /** Marks the lease released if it is not yet, and (with {@code onlyIfDue}) only if due at {@code now}. */
    synchronized boolean markReleased(boolean onlyIfDue, Instant now) {
        if (released || (onlyIfDue && now.isBefore(expiresAt))) {
            return false;
        }
        released = true;
        return true;
    }

    synchronized SessionResource resource() {
        return new SessionResource(id, mapId, access, mapping.offset(), mapping.length(), owner, createdAt, expiresAt);
    }
}
