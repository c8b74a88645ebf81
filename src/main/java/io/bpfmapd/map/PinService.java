package io.bpfmapd.map;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BackendUnavailableException;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.map.MapService.MapView;
import io.bpfmapd.map.PinRecord.Origin;
import io.bpfmapd.web.LogValue;
import jakarta.annotation.PostConstruct;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Pinning and import, the node-telemetry path: a map another program pinned (an eBPF agent in
 * bpffs) is imported and held like any map the service created; a map the service created is pinned
 * so that it outlives the process. Both are written to the {@link PinStore}, so a restart brings them
 * back under the same id; a delete removes the pin the service made, never one it imported.
 */
@Service
public class PinService {

    static final String OP_IMPORT = "BPF_OBJ_GET";
    static final String OP_PIN = "BPF_OBJ_PIN";

    private static final Logger log = LoggerFactory.getLogger(PinService.class);

    private final MapService maps;
    private final PinRoots roots;
    private final PinStore store;
    private final Clock clock;

    PinService(MapService maps, PinRoots roots, PinStore store, Clock clock) {
        this.maps = maps;
        this.roots = roots;
        this.store = store;
        this.clock = clock;
        maps.onDelete(this::forget);
    }

    /**
     * BPF_OBJ_GET of a map pinned under the backend's pin root (KERNEL unless the request says otherwise).
     *
     * @throws BpfException EINVAL (a path outside the root, with '.' or '..', or not an array map), EXDEV (a
     *                      symlink out of the root or onto another file system), ENOENT (nothing there),
     *                      EEXIST (the service holds that map already)
     * @throws BackendUnavailableException the backend, or its pin root, does not work here
     */
    public synchronized MapView importMap(ImportMapRequest request) {
        BackendKind kind = request.backend() != null ? request.backend() : BackendKind.KERNEL;
        BpfBackend backend = maps.backend(kind);
        Path path = roots.confinement(kind).existing(request.path(), OP_IMPORT);
        BpfMap handle = backend.open(path);
        ManagedMap map;
        MapView view;
        try {
            long mapId = handle.info().id();
            Optional<String> held = maps.findByKernelId(kind, mapId);
            if (held.isPresent()) {
                throw new BpfException(Errno.EEXIST, OP_IMPORT, path + " pins map " + mapId
                        + ", which the service holds already as " + held.get());
            }
            map = new ManagedMap(UUID.randomUUID().toString(), kind, clock.instant(), handle,
                    serviceName(request.name(), handle, path));
            // Remembered before it is visible, so that no delete can come between and leave a stale record.
            store.put(new PinRecord(map.id(), map.name().orElse(null), kind, path.toString(), Origin.IMPORTED,
                    map.createdAt()));
            try {
                view = maps.adopt(map);
            } catch (RuntimeException e) {
                forget(map.id());
                throw e;
            }
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        log.info("imported map {} (kernel id {}) from {} on {}", map.id(), view.info().id(), LogValue.of(path), kind);
        return view;
    }

    /**
     * BPF_OBJ_PIN of a map the service holds, at a new name under its backend's pin root.
     *
     * @throws BpfException EINVAL ('.' or '..', outside the root), EXDEV (a symlinked directory out of the root),
     *                      ENOENT (no such directory), EEXIST (the name is taken, or the map is pinned already)
     * @throws MapNotFoundException for an unknown map
     */
    public synchronized MapView pin(String id, PinMapRequest request) {
        ManagedMap map = maps.find(id);
        PathConfinement confinement = roots.confinement(map.backend());
        map.use(handle -> {
            Optional<Path> pinned = handle.info().pinnedPath();
            if (pinned.isPresent()) {
                throw new BpfException(Errno.EEXIST, OP_PIN, "map " + id + " is pinned at " + pinned.get()
                        + " already; the service keeps one pin per map");
            }
            Path target = confinement.newEntry(request.path(), OP_PIN);
            handle.pin(target);
            map.ownedPin(target);
            try {
                store.put(new PinRecord(id, map.name().orElse(null), map.backend(), target.toString(), Origin.PINNED,
                        map.createdAt()));
            } catch (PinStateNotWrittenException e) {
                // Not persisted, so not pinned: a pin the service would forget at its next start is a leak.
                map.ownedPin(null);
                handle.unpin(target);
                throw e;
            }
            log.info("pinned map {} at {}", id, LogValue.of(target));
            return null;
        });
        return maps.get(id);
    }

    /**
     * Brings back the maps of the state file, before the service takes requests. A pin that vanished (or
     * is no longer a map) is logged and forgotten; one whose backend does not work now is logged and kept
     * for a later start. Never fails the start.
     */
    @PostConstruct
    void restore() {
        for (BackendKind kind : BackendKind.values()) {
            String problem = roots.problem(kind);
            if (problem == null) {
                log.info("pins of {} go under {}", kind, roots.dir(kind));
            } else {
                log.warn("pins of {} go under {}, which is NOT usable now: {}", kind, roots.dir(kind), problem);
            }
        }
        List<PinRecord> records = store.all();
        int restored = 0;
        for (PinRecord r : records) {
            try {
                restore(r);
                restored++;
            } catch (VanishedPin e) {
                log.warn("map {} ({}): its pin {} is gone or no longer a map ({}); forgetting it", r.id(), r.backend(),
                        LogValue.of(r.path()), LogValue.of(e.getMessage()));
                forget(r.id());
            } catch (RuntimeException e) {
                log.warn("map {} ({}): cannot bring it back from {} now ({}); kept for the next start", r.id(),
                        r.backend(), LogValue.of(r.path()), LogValue.of(e.getMessage()));
            }
        }
        if (!records.isEmpty()) {
            log.info("brought back {} of {} pinned or imported maps from {}", restored, records.size(), store.file());
        }
    }

    /** @throws VanishedPin if nothing is pinned there any more, or no map the backend can hold */
    private void restore(PinRecord r) {
        BpfBackend backend = maps.backend(r.backend());
        Path path;
        try {
            path = roots.confinement(r.backend()).existing(r.path(), OP_IMPORT);
        } catch (BpfException e) {
            // Outside a reconfigured root is a configuration problem, not a vanished pin: keep the record.
            throw e.errno() == Errno.ENOENT ? new VanishedPin(e.getMessage()) : e;
        }
        BpfMap handle;
        try {
            handle = backend.open(path);
        } catch (BpfException e) {
            // ENOENT: unpinned meanwhile; EINVAL: something else is pinned there now. Others may pass.
            throw e.errno() == Errno.ENOENT || e.errno() == Errno.EINVAL ? new VanishedPin(e.getMessage()) : e;
        }
        try {
            ManagedMap map = new ManagedMap(r.id(), r.backend(), r.createdAt(), handle, r.name());
            if (r.origin() == Origin.PINNED) {
                map.ownedPin(path);
            }
            MapView view = maps.adopt(map);
            log.info("brought back map {} (kernel id {}, frozen {}) from {} on {}", r.id(), view.info().id(),
                    view.info().frozen(), LogValue.of(path), r.backend());
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    private void forget(String id) {
        try {
            store.remove(id);
        } catch (PinStateNotWrittenException e) {
            log.error("map {}: cannot remove it from {}: a restart will try to bring it back", id, store.file(), e);
        }
    }

    private static final class VanishedPin extends RuntimeException {
        VanishedPin(String message) {
            super(message);
        }
    }

    /** The name asked for; else null when the kernel has one (shown live); else the pin's file name. */
    private static String serviceName(String asked, BpfMap handle, Path path) {
        if (asked != null && !asked.isBlank()) {
            return asked.strip();
        }
        return handle.info().spec().name().isEmpty() ? path.getFileName().toString() : null;
    }
}
