package io.bpfmapd.map;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.config.PeriodicTask;
import io.bpfmapd.limits.LimitExceededException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import io.bpfmapd.web.LogValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the pins under watched globs of a backend's pin root, so that a sidecar need not start after
 * its agent: a map pinned there is imported, one whose pin goes is forgotten (deleted from the service,
 * as {@code DELETE /maps/{id}} would; the pin is not the service's), one re-pinned at the same path
 * (another map id: the agent restarted) is switched to: the old map is forgotten and the new one
 * imported under a new id. Each is a log line and a count of {@code bpfmapd.watch.events}.
 *
 * <p>It polls. bpffs does send inotify events for pins other processes make and remove (IN_CREATE,
 * IN_DELETE, seen on Linux 6.18), but the globs would need a watch per directory, set up racing the
 * agent's own mkdir, and a re-pin is only known by comparing map ids, so a scan does the whole job
 * in one place: per watched pin, one BPF_OBJ_GET and one BPF_OBJ_GET_INFO_BY_FD per interval.
 */
public class PinWatcher extends PeriodicTask {

    /** What the watcher did, as the {@code event} tag of {@code bpfmapd.watch.events}. */
    enum Event {
        IMPORTED, FORGOTTEN, SWITCHED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A pin the watcher follows: the service's id of its map and the map's backend id. */
    private record Followed(String serviceId, long mapId) {
    }

    private static final Logger log = LoggerFactory.getLogger(PinWatcher.class);

    private final BackendKind kind;
    private final List<String> globs;
    private final List<PathMatcher> matchers;
    private final Access access;
    private final MapService maps;
    private final PinService pins;
    private final PinRoots roots;
    private final Map<Event, Counter> events = new EnumMap<>(Event.class);
    private final Map<Path, Followed> followed = new HashMap<>();
    /** Pins the service will not import, by path, with the map id refused and why: logged once each. */
    private final Map<Path, String> refused = new HashMap<>();
    /** Pins whose map was deleted through the API: left alone until another map is pinned there. */
    private final Map<Path, Long> deletedByUser = new HashMap<>();
    private String lastProblem;

    PinWatcher(BackendKind kind, List<String> globs, Duration interval, Access access, MapService maps,
               PinService pins, PinRoots roots, MeterRegistry meters) {
        super("bpfmapd-pin-watch", interval);
        this.kind = kind;
        this.globs = List.copyOf(globs);
        this.matchers = this.globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        this.access = access;
        this.maps = maps;
        this.pins = pins;
        this.roots = roots;
        for (Event e : Event.values()) {
            events.put(e, Counter.builder("bpfmapd.watch.events")
                    .description("Pins under bpfmapd.kernel.watch that were imported, forgotten or switched to")
                    .tag("event", e.tag()).register(meters));
        }
    }

    /** Nothing to follow, no thread. */
    @Override
    public synchronized void start() {
        if (!globs.isEmpty()) {
            log.info("following pins of {} under {} matching {} ({} access)", kind, LogValue.of(roots.dir(kind)),
                    LogValue.of(globs), access);
            super.start();
        }
    }

    /** One scan: import what appeared, forget what went, switch what was re-pinned. */
    @Override
    protected synchronized void runOnce() {
        Path root;
        TreeSet<Path> present;
        try {
            String problem = roots.problem(kind);
            if (problem != null) {
                throw new IllegalStateException(problem);
            }
            maps.backend(kind, access); // BackendUnavailableException with the reason
            root = roots.dir(kind);
            present = scan(root);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(lastProblem)) {
                lastProblem = String.valueOf(e.getMessage());
                log.warn("cannot follow the pins of {} now: {}", kind, LogValue.of(lastProblem));
            }
            return;
        }
        lastProblem = null;
        for (Path gone : List.copyOf(followed.keySet())) {
            if (!present.contains(gone)) {
                Followed f = followed.remove(gone);
                if (forget(f)) {
                    count(Event.FORGOTTEN);
                    log.info("pin {} is gone: forgot map {} (map id {})", LogValue.of(gone), f.serviceId(), f.mapId());
                }
            }
        }
        refused.keySet().retainAll(present);
        deletedByUser.keySet().retainAll(present);
        for (Path pin : present) {
            try {
                follow(pin);
            } catch (RuntimeException e) {
                String reason = e.getMessage();
                if (!String.valueOf(reason).equals(refused.put(pin, String.valueOf(reason)))) {
                    if (e instanceof io.bpfmapd.backend.BpfException || e instanceof LimitExceededException
                            || e instanceof io.bpfmapd.backend.BackendUnavailableException) {
                        log.warn("cannot import the pin {}: {}", LogValue.of(pin), LogValue.of(reason));
                    } else {
                        log.error("cannot import the pin {}", LogValue.of(pin), e);
                    }
                }
            }
        }
    }

    private void follow(Path pin) {
        long mapId = mapIdAt(pin);
        Followed f = followed.get(pin);
        if (f != null && !held(f)) {
            // Deleted through the API while its pin stayed: the operator's choice, until the pin changes.
            followed.remove(pin);
            deletedByUser.put(pin, f.mapId());
            f = null;
        }
        if (f == null) {
            Long deleted = deletedByUser.get(pin);
            if (deleted != null && deleted == mapId) {
                return;
            }
            deletedByUser.remove(pin);
            Optional<String> held = maps.findByKernelId(kind, mapId);
            if (held.isPresent()) {
                // Imported at start-up, brought back from the pin state, or through the API: followed from now.
                followed.put(pin, new Followed(held.get(), mapId));
                return;
            }
            MapService.MapView view = pins.importMap(new ImportMapRequest(pin.toString(), null, kind, access));
            followed.put(pin, new Followed(view.id(), view.info().id()));
            refused.remove(pin);
            count(Event.IMPORTED);
            log.info("pin {} appeared: imported map id {} as map {}", LogValue.of(pin), view.info().id(), view.id());
            return;
        }
        if (f.mapId() != mapId) {
            followed.remove(pin);
            forget(f);
            MapService.MapView view = pins.importMap(new ImportMapRequest(pin.toString(), null, kind, access));
            followed.put(pin, new Followed(view.id(), view.info().id()));
            count(Event.SWITCHED);
            log.info("pin {} now holds map id {} (was {}): switched from map {} to map {}", LogValue.of(pin),
                    view.info().id(), f.mapId(), f.serviceId(), view.id());
        }
    }

    /** The backend id of the map pinned at {@code pin}, through a handle closed at once. */
    private long mapIdAt(Path pin) {
        try (BpfMap handle = maps.backend(kind, access).open(pin, access)) {
            return handle.info().id();
        }
    }

    private boolean held(Followed f) {
        try {
            maps.get(f.serviceId());
            return true;
        } catch (MapNotFoundException e) {
            return false;
        }
    }

    /** Deletes the map of a pin that went; false if it was deleted already (through the API). */
    private boolean forget(Followed f) {
        try {
            maps.delete(f.serviceId());
            return true;
        } catch (MapNotFoundException e) {
            return false;
        }
    }

    private void count(Event e) {
        events.get(e).increment();
    }

    /**
     * The pins under {@code root} that match a glob (relative to the root), without following symlinks:
     * a pin is a regular file of bpffs (bpf_mkobj_ops, kernel/bpf/inode.c). Each glob is walked from its
     * longest literal prefix, and no deeper than it can match unless it has {@code **}.
     */
    TreeSet<Path> scan(Path root) {
        TreeSet<Path> found = new TreeSet<>();
        for (int g = 0; g < globs.size(); g++) {
            String glob = globs.get(g);
            PathMatcher matcher = matchers.get(g);
            String[] parts = glob.split("/");
            Path base = root;
            int literal = 0;
            while (literal < parts.length - 1 && !isPattern(parts[literal])) {
                base = base.resolve(parts[literal]);
                literal++;
            }
            int depth = glob.contains("**") ? Integer.MAX_VALUE : parts.length - literal;
            if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(base, depth)) {
                walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .filter(p -> matcher.matches(root.relativize(p)))
                        .forEach(found::add);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException)) {
                    throw e;
                }
                // a directory went while it was walked: the next scan sees the rest
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private static boolean isPattern(String part) {
        return part.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{' || c == '\\');
    }

    /** A refusal the watcher logged for a pin, for tests. */
    Optional<String> refusal(Path pin) {
        return Optional.ofNullable(refused.get(pin));
    }
}
