package io.bpfmapd.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.config.BackendProperties;
import io.bpfmapd.limits.LimitsProperties;
import io.bpfmapd.limits.ResourceLimits;
import io.bpfmapd.map.CreateMapRequest;
import io.bpfmapd.map.MapService;
import io.bpfmapd.map.PinRoots;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * A view of the configuration that names a pin no held map has yet is declared and waits (it was skipped
 * for good before), on the emulation, without the watcher: the maps come and go as an import would make
 * them, and each scrape finds the view's map again. KernelViewFollowsPinsTest does the same through the
 * pin watcher on the kernel.
 */
class ConfiguredViewWaitsTest {

    @TempDir
    Path data;
    EmulatedBackend backend;
    MapService maps;
    ExportRegistry registry;
    ExportCollector collector;
    Path pin;

    @BeforeEach
    void service() throws Exception {
        backend = new EmulatedBackend(data, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
        ResourceLimits limits = new ResourceLimits(LimitsProperties.defaults());
        maps = new MapService(List.of(backend), new BackendProperties(BackendKind.EMULATED), new ApiProperties(1024, 1 << 20),
                Clock.systemUTC(), new SimpleMeterRegistry(), limits);
        Path root = Files.createDirectories(data.resolve("pins"));
        pin = Files.createDirectories(root.resolve("agent")).resolve("events");
        var none = new StaticListableBeanFactory().getBeanProvider(PrometheusRegistry.class);
        registry = new ExportRegistry(maps, new PinRoots(Map.of(BackendKind.EMULATED, new PinRoots.PinRoot(root, null))),
                new ExportsProperties(100, List.of(new ViewSpec("events", "agent/events", "agent_events_total", null, null,
                        MetricType.COUNTER, null, null, null, null, null, null, null))), none);
        collector = new ExportCollector(registry, new MapReader(maps, limits), maps, Clock.systemUTC(), none);
    }

    @AfterEach
    void close() {
        maps.closeAll();
        backend.close();
    }

    @Test
    void aConfiguredViewOfAPinNotYetHeldWaitsThenFollowsThePin() throws Exception {
        registry.declareConfigured();
        ExportResource waiting = registry.get("events");
        assertThat(waiting.up()).isFalse();
        assertThat(waiting.error()).contains("waiting for map agent/events");
        assertThat(events(collector.collect())).isEmpty();
        assertThat(up(collector.collect())).isZero();

        String first = agentPins(2, 41);
        assertThat(events(collector.collect())).hasValueSatisfying(c -> assertThat(value(c, "2")).isEqualTo(41));
        assertThat(up(collector.collect())).isOne();

        maps.delete(first);
        Files.delete(pin);
        assertThat(events(collector.collect())).isEmpty();
        assertThat(up(collector.collect())).isZero();

        agentPins(3, 7);
        MetricSnapshots back = collector.collect();
        assertThat(events(back)).hasValueSatisfying(c -> {
            assertThat(value(c, "3")).isEqualTo(7);
            assertThat(value(c, "2")).isZero();
        });
        assertThat(registry.get("events").series()).isEqualTo(4);
    }

    /** An agent's map, pinned at agent/events, held by the service as an import would hold it. */
    private String agentPins(int index, long value) {
        String id = maps.create(new CreateMapRequest("events", MapType.ARRAY, null, 8, 4, List.of(), BackendKind.EMULATED,
                null)).id();
        maps.update(id, index, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array(), UpdateFlag.ANY);
        maps.withMap(id, h -> {
            h.pin(pin);
            return null;
        });
        return id;
    }

    private static Optional<CounterSnapshot> events(MetricSnapshots scraped) {
        return scraped.stream().filter(m -> m.getMetadata().getName().equals("agent_events"))
                .map(CounterSnapshot.class::cast).findFirst();
    }

    private static double up(MetricSnapshots scraped) {
        return scraped.stream().filter(m -> m.getMetadata().getName().equals(ExportCollector.UP))
                .map(GaugeSnapshot.class::cast).findFirst().orElseThrow().getDataPoints().getFirst().getValue();
    }

    private static double value(CounterSnapshot counter, String index) {
        return counter.getDataPoints().stream().filter(p -> p.getLabels().equals(Labels.of("index", index)))
                .findFirst().orElseThrow().getValue();
    }
}
