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
    /** Runs between a pin and its confirmation; tests throw an Error from it to stand in for a kill -9 there. */
    volatile Runnable betweenPinAndRecord = () -> { };

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
     * BPF_OBJ_PIN of a map the service holds, at a new name under its backend's pin root. The pin and its
     * record are one recoverable step: the record is written with an {@link PinRecord.Intent} first, then
     * the pin is made, then the intent is cleared; a crash between them is reconciled at the next start
     * ({@link #restore()}), and a failure rolls both back.
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
            Optional<PinRecord> previous = store.get(id);
            PinRecord done = new PinRecord(id, map.name().orElse(null), map.backend(), target.toString(),
                    Origin.PINNED, map.createdAt());
            // 1. The intent, on disk before the pin exists: a crash from here on leaves a record to reconcile.
            store.put(done.withIntent(new PinRecord.Intent(handle.info().id())));
            try {
                handle.pin(target); // 2.
            } catch (RuntimeException e) {
                undoRecord(id, previous);
                throw e;
            }
            map.ownedPin(target);
            betweenPinAndRecord.run();
            try {
                store.put(done); // 3.
            } catch (PinStateNotWrittenException e) {
                // Not confirmed, so not pinned: a pin the service would forget at its next start is a leak.
                map.ownedPin(null);
                handle.unpin(target);
                undoRecord(id, previous);
                throw e;
            }
            log.info("pinned map {} at {}", id, LogValue.of(target));
            return null;
        });
        return maps.get(id);
    }

    /** Takes an intent back; if even that cannot be written, the next start finds no pin and drops it. */
    private void undoRecord(String id, Optional<PinRecord> previous) {
        try {
            store.reset(id, previous);
        } catch (PinStateNotWrittenException e) {
            log.warn("map {}: cannot take back its pin intent in {} ({}); the next start drops it", id, store.file(),
                    e.getMessage());
        }
    }

    /**
     * Brings back the maps of the state file, before the service takes requests. A pin that vanished (or
     * is no longer a map) is logged and forgotten; one whose backend does not work now is logged and kept
     * for a later start; one that names a map the service holds already (two records on one pin) is
     * logged and forgotten. A pin intent (a crash between the record and the pin) is reconciled: with no
     * pin at its path it is dropped; with the service's map there (for the kernel, the map id of the
     * intent) the pin is completed, as if the crash had come after it; with another map there it is
     * dropped and that pin left alone, as not the service's. Never fails the start.
     */
    @PostConstruct
    void restore() {
        for (BackendKind kind : BackendKind.values()) {
            String problem = roots.problem(kind);
            if (problem == null) {
                log.info("pins of {} go under {}", kind, roots.dir(kind));
            } else {
                log.warn("pins of {} are NOT usable now: {}", kind, problem);
            }
        }
        List<PinRecord> records = store.all();
        int restored = 0;
        for (PinRecord r : records) {
            try {
                restore(r);
                restored++;
            } catch (VanishedPin e) {
                log.warn("map {} ({}): {} {} ({}); forgetting it", r.id(), r.backend(), r.pending()
                        ? "the pin it was being pinned at was never made:" : "its pin is gone or no longer a map:",
                        LogValue.of(r.path()), LogValue.of(e.getMessage()));
                forget(r.id());
            } catch (UntrustedPin e) {
                log.warn("map {} ({}) at {}: {}; forgetting it", r.id(), r.backend(), LogValue.of(r.path()),
                        LogValue.of(e.getMessage()));
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

    /**
     * @throws VanishedPin  if nothing is pinned there any more, or no map the backend can hold
     * @throws UntrustedPin if the map there is held already, or is not the one an intent was for
     */
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
            long mapId = handle.info().id();
            Optional<String> held = maps.findByKernelId(r.backend(), mapId);
            if (held.isPresent()) {
                throw new UntrustedPin("it pins map " + mapId + ", which the service holds already as " + held.get());
            }
            if (r.pending() && r.backend() == BackendKind.KERNEL && r.intent().mapId() != mapId) {
                // Not the map the intent was for: another program's pin, which the service must not own.
                throw new UntrustedPin("a pin intent for kernel map " + r.intent().mapId() + " finds map " + mapId
                        + " there, not the service's; that pin is left alone");
            }
            ManagedMap map = new ManagedMap(r.id(), r.backend(), r.createdAt(), handle, r.name());
            if (r.origin() == Origin.PINNED) {
                map.ownedPin(path);
            }
            MapView view = maps.adopt(map);
            if (r.pending()) {
                completeIntent(r);
            }
            log.info("brought back map {} (kernel id {}, frozen {}) from {} on {}", r.id(), view.info().id(),
                    view.info().frozen(), LogValue.of(path), r.backend());
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /** The pin of an intent exists and is the service's: the crash came between steps 2 and 3 of a pin. */
    private void completeIntent(PinRecord r) {
        try {
            store.put(r.withIntent(null));
            log.info("map {}: completed the pin at {} that a stop interrupted", r.id(), LogValue.of(r.path()));
        } catch (PinStateNotWrittenException e) {
            log.warn("map {}: pinned at {}, but {} cannot record it now ({}); the next start completes it", r.id(),
                    LogValue.of(r.path()), store.file(), e.getMessage());
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

    private static final class UntrustedPin extends RuntimeException {
        UntrustedPin(String message) {
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
