package io.bpfmapd.export;

import io.bpfmapd.map.MapService;
import io.bpfmapd.map.MapService.MapView;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The views' series on {@code /actuator/prometheus}, beside the service's own: a collector on Micrometer's
 * Prometheus registry, run at each scrape. Each map is read once per scrape, however many views read it
 * ({@link MapReader}). A view that fails (its map gone, a read refused, a map a glob matched that does not
 * fit) loses its series for that scrape only: {@code bpfmapd_export_up{view}} is 0, its error counter
 * grows, and the reason is in {@code GET /api/v1/exports/{name}}; the scrape itself never fails.
 */
@Component
class ExportCollector implements MultiCollector {

    private static final Logger log = LoggerFactory.getLogger(ExportCollector.class);

    static final String UP = ExportView.OWN_PREFIX + "up";
    static final String ERRORS = ExportView.OWN_PREFIX + "errors";
    static final String VIEW_LABEL = "view";

    private final ExportRegistry registry;
    private final MapReader reader;
    private final MapService maps;
    private final Clock clock;

    ExportCollector(ExportRegistry registry, MapReader reader, MapService maps, Clock clock,
                    ObjectProvider<PrometheusRegistry> prometheus) {
        this.registry = registry;
        this.reader = reader;
        this.maps = maps;
        this.clock = clock;
        prometheus.ifAvailable(r -> r.register(this));
    }

    @Override
    public MetricSnapshots collect() {
        return collect(name -> true);
    }

    @Override
    public MetricSnapshots collect(Predicate<String> includedNames) {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        Supplier<List<MapView>> held = memoized(maps::list);
        Map<String, Object> reads = new HashMap<>();
        List<GaugeSnapshot.GaugeDataPointSnapshot> up = new ArrayList<>();
        List<CounterSnapshot.CounterDataPointSnapshot> errors = new ArrayList<>();
        for (ExportRegistry.Entry entry : registry.entries()) {
            ExportView view = entry.view();
            String name = view.metricName();
            if (includedNames.test(name) || includedNames.test(name + "_total")) {
                scrape(entry, held, reads).ifPresent(out::metricSnapshot);
            }
            Labels labels = Labels.of(VIEW_LABEL, view.spec().name());
            up.add(new GaugeSnapshot.GaugeDataPointSnapshot(entry.status().up() ? 1 : 0, labels, null));
            errors.add(new CounterSnapshot.CounterDataPointSnapshot(entry.status().errors(), labels, null, 0L));
        }
        if (includedNames.test(UP)) {
            out.metricSnapshot(new GaugeSnapshot(new MetricMetadata(UP,
                    "Whether the metric view's last scrape exposed it (1) or failed (0)"), up));
        }
        if (includedNames.test(ERRORS + "_total")) {
            out.metricSnapshot(new CounterSnapshot(new MetricMetadata(ERRORS,
                    "Scrapes in which the metric view failed"), errors));
        }
        return out.build();
    }

    private java.util.Optional<io.prometheus.metrics.model.snapshots.MetricSnapshot> scrape(
            ExportRegistry.Entry entry, Supplier<List<MapView>> held, Map<String, Object> reads) {
        ExportView view = entry.view();
        try {
            List<DataPointSnapshot> points = new ArrayList<>();
            long series = 0;
            for (ExportRegistry.Target target : registry.targets(view, held)) {
                series += view.check(maps.geometry(target.mapId()));
                view.checkSeries(series, registry.maxSeries());
                points.addAll(view.points(read(target.mapId(), reads), view.baseLabels(target.pin())));
            }
            entry.status().ok(series, clock.instant());
            return java.util.Optional.of(view.snapshot(points));
        } catch (RuntimeException e) {
            entry.status().failed(e.getMessage() == null ? e.toString() : e.getMessage(), clock.instant());
            log.debug("metric view {} failed this scrape", view.spec().name(), e);
            return java.util.Optional.empty();
        }
    }

    /** One read per map per scrape; a failed read fails every view of that map alike. */
    private MapSnapshot read(String mapId, Map<String, Object> reads) {
        Object result = reads.computeIfAbsent(mapId, id -> {
            try {
                return reader.read(id);
            } catch (RuntimeException e) {
                return e;
            }
        });
        if (result instanceof RuntimeException e) {
            throw e;
        }
        return (MapSnapshot) result;
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
