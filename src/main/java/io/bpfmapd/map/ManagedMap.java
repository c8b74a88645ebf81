package io.bpfmapd.map;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.web.LogValue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A map the service holds: its one handle (the service's user reference) and when it was made.
 * Operations run under the read lock; delete takes the write lock, so no operation runs on a handle
 * after it was closed, and none sees a half-deleted map.
 */
final class ManagedMap {

    private static final Logger log = LoggerFactory.getLogger(ManagedMap.class);

    private final String id;
    private final BackendKind backend;
    private final Instant createdAt;
    private final BpfMap handle;
    /** Kept apart from the handle: the limits give its bytes back after the handle is closed. */
    private final MapSpec spec;
    private final MapGeometry geometry;
    /** The service's name for an imported map, or null: the kernel's name is shown. */
    private final String name;
    /** How the handle was opened: a READ_ONLY handle is never mapped (bpf_map_mmap wants VM_SHARED). */
    private final Access access;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** The pin the service made (POST /maps/{id}/pin), which a delete removes; never an imported pin. */
    private volatile Path ownedPin;
    private boolean deleted;
    /**
     * What keeps the map's memory alive: the service's handle and each mapping made through
     * {@link #mmap}, as the kernel counts a map's user references (bpf_map_mmap_open in
     * kernel/bpf/syscall.c takes one per mapping). The memory outlives a delete until the last goes.
     */
    private final AtomicInteger memoryHolders = new AtomicInteger(1);
    /** The BTF value type, compiled at the first typed request: a map's BTF never changes. */
    private volatile TypedValues typedValues;
    /** Whether the map has a BTF value type, asked of the backend once (the kernel: one BPF_OBJ_GET_INFO_BY_FD). */
    private volatile Boolean typed;

    ManagedMap(String id, BackendKind backend, Instant createdAt, BpfMap handle) {
        this(id, backend, createdAt, handle, null);
    }

    ManagedMap(String id, BackendKind backend, Instant createdAt, BpfMap handle, String name) {
        this(id, backend, createdAt, handle, name, Access.READ_WRITE);
    }

    ManagedMap(String id, BackendKind backend, Instant createdAt, BpfMap handle, String name, Access access) {
        this.access = access;
        this.id = id;
        this.backend = backend;
        this.createdAt = createdAt;
        this.handle = handle;
        this.spec = handle.info().spec();
        this.geometry = handle.geometry();
        this.name = name;
    }

    MapSpec spec() {
        return spec;
    }

    MapGeometry geometry() {
        return geometry;
    }

    Access access() {
        return access;
    }

    /**
     * Whether reads may go through a mapping: MMAPABLE, and a handle the kernel maps (not read-only).
     * The others are read with BPF_MAP_LOOKUP_BATCH.
     */
    boolean mappable() {
        return spec.has(io.bpfmapd.backend.MapFlag.MMAPABLE) && access == Access.READ_WRITE;
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

    Optional<String> name() {
        return Optional.ofNullable(name);
    }

    Optional<Path> ownedPin() {
        return Optional.ofNullable(ownedPin);
    }

    /** Call inside {@link #use}, so that a delete cannot slip between the pin and this. */
    void ownedPin(Path pin) {
        this.ownedPin = pin;
    }

    /** Whether the map has a BTF value type, so that format=typed, its BTF and (a DATASEC's) variables answer. */
    boolean typed() {
        Boolean known = typed;
        if (known == null) {
            known = use(BpfMap::hasValueType);
            typed = known;
        }
        return known;
    }

    /**
     * The map's BTF value type for format=typed, read and compiled once.
     *
     * @throws io.bpfmapd.backend.BpfException EINVAL (operation "format") when the map has none
     */
    TypedValues typedValues() {
        TypedValues known = typedValues;
        if (known == null) {
            // two first requests may both compile it: the same answer, once the race is over
            known = use(h -> TypedValues.of(id, h.btf(), geometry));
            typedValues = known;
        }
        return known;
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

    /** Closes the handle once operations in flight finished; idempotent. Pins stay (a shutdown). */
    void close() {
        close(false);
    }

    /**
     * A delete: also removes the pin the service made, so the map goes with its last mapping. A failed
     * unlink (the pin was removed or replaced meanwhile) is logged, not fatal: the map is gone either way.
     */
    void delete() {
        close(true);
    }

    /**
     * A mapping that holds the map's memory until it is closed; {@code onMemoryFreed} runs once, when
     * the last of the handle (after a delete) and the mappings is gone.
     *
     * @throws MapNotFoundException once the map was deleted
     */
    Mapping mmap(long offset, long length, boolean writable, Runnable onMemoryFreed) {
        return use(h -> {
            Mapping mapping = h.mmap(offset, length, writable);
            memoryHolders.incrementAndGet();
            return new HeldMapping(mapping, () -> dropMemoryHolder(onMemoryFreed));
        });
    }

    /** Gives up one holder of the map's memory (the handle's, at delete, or a mapping's). */
    void dropMemoryHolder(Runnable onMemoryFreed) {
        if (memoryHolders.decrementAndGet() == 0) {
            onMemoryFreed.run();
        }
    }

    private void close(boolean unpin) {
        lock.writeLock().lock();
        try {
            if (!deleted) {
                deleted = true;
                Path pin = ownedPin;
                if (unpin && pin != null) {
                    try {
                        handle.unpin(pin);
                    } catch (BpfException e) {
                        log.warn("map {}: could not remove its pin {}: {}", id, LogValue.of(pin), LogValue.of(e.getMessage()));
                    }
                }
                handle.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
