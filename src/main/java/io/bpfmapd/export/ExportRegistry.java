package io.bpfmapd.export;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.map.MapEvent;
import io.bpfmapd.map.MapNotFoundException;
import io.bpfmapd.map.MapService;
import io.bpfmapd.map.MapService.MapView;
import io.bpfmapd.map.PinRoots;
import io.bpfmapd.web.LogValue;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The declared metric views. A declaration is checked against the maps it names now (sizes, offset,
 * series count, name clashes on the scrape endpoint) and refused whole, with nothing changed, when it
 * cannot apply; a glob view also applies to maps imported later, checked at each scrape. A view of the
 * configuration whose map is not held yet (the agent has not pinned it, the watcher has not imported it)
 * is declared all the same and waits for it: its targets are found again at each scrape, so it applies
 * from the scrape after the import, loses its series when the pin goes and applies again when the pin
 * comes back. Public only so that web slice tests can mock it.
 */
@Service
public class ExportRegistry {

    private static final Logger log = LoggerFactory.getLogger(ExportRegistry.class);

    /** A map a view reads: its service id, and its pin path under the pin root (for a glob view's label). */
    record Target(String mapId, String pin) {
    }

    record Entry(ExportView view, ViewStatus status) {
    }

    private final MapService maps;
    private final PinRoots roots;
    private final ExportsProperties properties;
    private final ObjectProvider<PrometheusRegistry> prometheus;
    private final Map<String, Entry> views = new LinkedHashMap<>();

    ExportRegistry(MapService maps, PinRoots roots, ExportsProperties properties,
                   ObjectProvider<PrometheusRegistry> prometheus) {
        this.maps = maps;
        this.roots = roots;
        this.properties = properties;
        this.prometheus = prometheus;
    }

    /** The views of {@code bpfmapd.exports.views}, once the start-up imports are held. */
    @EventListener(ApplicationReadyEvent.class)
    void declareConfigured() {
        for (ViewSpec spec : properties.views()) {
            try {
                ExportResource view = create(spec, true);
                if (view.error() == null) {
                    log.info("metric view {} declared from {}", spec.name(), ExportsProperties.PREFIX);
                } else {
                    log.info("metric view {} declared from {}, waiting for map {}: it applies once that pin is imported",
                            spec.name(), ExportsProperties.PREFIX, LogValue.of(spec.map()));
                }
            } catch (RuntimeException e) {
                log.warn("metric view {} of {} not declared: {}", spec.name(), ExportsProperties.PREFIX, e.getMessage());
            }
        }
    }

    /**
     * Declares a view.
     *
     * @throws BpfException EINVAL for a view that cannot apply, EEXIST for a name or metric taken
     * @throws MapNotFoundException a map id or pin path (not a glob) that no held map has
     * @throws io.bpfmapd.limits.LimitExceededException more series than bpfmapd.exports.max-series
     */
    ExportResource create(ViewSpec spec) {
        return create(spec, false);
    }

    /**
     * @param waitForMap a view of the configuration: one whose map no held map is yet is declared, waiting
     *                   for it, rather than refused (an API caller is told at once instead)
     */
    private synchronized ExportResource create(ViewSpec spec, boolean waitForMap) {
        ExportView view = ExportView.compile(spec);
        if (views.containsKey(spec.name())) {
            throw new BpfException(Errno.EEXIST, "export", "a metric view named " + spec.name() + " exists");
        }
        for (Entry other : views.values()) {
            if (other.view().metricName().equals(view.metricName())) {
                throw new BpfException(Errno.EEXIST, "export", "metric " + view.metricName() + " is view "
                        + other.view().spec().name() + "'s");
            }
        }
        PrometheusRegistry registry = prometheus.getIfAvailable();
        if (registry != null) {
            String name = view.metricName();
            if (!(registry.scrape(n -> n.equals(name) || n.startsWith(name + "_")).size() == 0)) {
                throw new BpfException(Errno.EEXIST, "export", "metric " + name + " is exposed already on the "
                        + "scrape endpoint");
            }
        }
        ViewStatus status = new ViewStatus();
        try {
            long series = 0;
            for (Target target : targets(view)) {
                series += view.check(maps.geometry(target.mapId()));
            }
            view.checkSeries(series, properties.maxSeries());
        } catch (MapNotFoundException notYet) {
            if (!waitForMap) {
                throw notYet;
            }
            status.waiting("waiting for map " + spec.map() + ": no held map has that id or pin yet");
        }
        Entry entry = new Entry(view, status);
        views.put(spec.name(), entry);
        return resource(entry);
    }

    /**
     * A map imported (by the pin watcher, an import, a restart) that a view reads: a log line saying the view
     * applies to it now, or why it does not fit. The series themselves follow at the next scrape, which
     * finds every view's maps again.
     */
    @EventListener
    void on(MapEvent event) {
        if (event.kind() != MapEvent.Kind.CREATED) {
            return;
        }
        for (Entry entry : entries()) {
            ExportView view = entry.view();
            try {
                for (Target target : targets(view)) {
                    if (target.mapId().equals(event.mapId())) {
                        view.checkSeries(view.check(maps.geometry(target.mapId())), properties.maxSeries());
                        log.info("metric view {} applies to map {}{}", view.spec().name(), event.mapId(),
                                target.pin() == null ? "" : " (pin " + target.pin() + ")");
                    }
                }
            } catch (MapNotFoundException notThisView) {
                // the view names another map, not held either
            } catch (RuntimeException e) {
                log.warn("metric view {} does not apply to map {}: {}", view.spec().name(), event.mapId(),
                        LogValue.of(e.getMessage()));
            }
        }
    }

    synchronized void delete(String name) {
        if (views.remove(name) == null) {
            throw new ExportNotFoundException(name);
        }
    }

    synchronized List<ExportResource> list() {
        return views.values().stream().map(ExportRegistry::resource).toList();
    }

    synchronized ExportResource get(String name) {
        Entry entry = views.get(name);
        if (entry == null) {
            throw new ExportNotFoundException(name);
        }
        return resource(entry);
    }

    synchronized Collection<Entry> entries() {
        return List.copyOf(views.values());
    }

    int maxSeries() {
        return properties.maxSeries();
    }

    /**
     * The maps a view reads now: the map of that id, else the held maps whose pin matches the path or glob
     * (relative to their backend's pin root, or absolute).
     *
     * @throws MapNotFoundException for a view that is not a glob and matches no held map
     */
    List<Target> targets(ExportView view) {
        return targets(view, maps::list);
    }

    List<Target> targets(ExportView view, Supplier<List<MapView>> held) {
        String name = view.spec().map();
        if (!view.glob()) {
            try {
                maps.spec(name);
                return List.of(new Target(name, null));
            } catch (MapNotFoundException notAnId) {
                // a pin path, then
            }
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
        List<Target> found = new ArrayList<>();
        for (MapView map : held.get()) {
            if (map.info().pinnedPath().isEmpty()) {
                continue;
            }
            Path pin = map.info().pinnedPath().get();
            Path root = roots.dir(map.backend());
            Path relative = pin.startsWith(root) ? root.relativize(pin) : pin;
            if (matcher.matches(relative) || matcher.matches(pin)) {
                found.add(new Target(map.id(), relative.toString()));
            }
        }
        if (found.isEmpty() && !view.glob()) {
            throw new MapNotFoundException(name);
        }
        return found;
    }

    private static ExportResource resource(Entry entry) {
        ViewStatus s = entry.status();
        return new ExportResource(entry.view().spec().name(), entry.view().spec(), s.up(), s.errors(), s.error(),
                s.lastScrape(), s.series());
    }
}
