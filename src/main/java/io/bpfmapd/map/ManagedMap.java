package io.bpfmapd.map;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfMap;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A map the service holds: its one handle (the service's user reference) and when it was made.
 * Operations run under the read lock; delete takes the write lock, so no operation runs on a handle
 * after it was closed, and none sees a half-deleted map.
 */
final class ManagedMap {

    private final String id;
    private final BackendKind backend;
    private final Instant createdAt;
    private final BpfMap handle;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean deleted;

    ManagedMap(String id, BackendKind backend, Instant createdAt, BpfMap handle) {
        this.id = id;
        this.backend = backend;
        this.createdAt = createdAt;
        this.handle = handle;
    }

    String id() {
        return id;
    }

    BackendKind backend() {
        return backend;
    }

    Instant createdAt() {
        return createdAt;
    }

    /** Runs {@code op} on the handle unless the map was deleted. */
    <T> T use(java.util.function.Function<BpfMap, T> op) {
        lock.readLock().lock();
        try {
            if (deleted) {
                throw new MapNotFoundException(id);
            }
            return op.apply(handle);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Closes the handle once operations in flight finished; idempotent. */
    void close() {
        lock.writeLock().lock();
        try {
            if (!deleted) {
                deleted = true;
                handle.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
