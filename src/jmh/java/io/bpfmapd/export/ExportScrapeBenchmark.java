package io.bpfmapd.export;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.bench.BenchBackends;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.config.BackendProperties;
import io.bpfmapd.limits.LimitsProperties;
import io.bpfmapd.limits.ResourceLimits;
import io.bpfmapd.map.CreateMapRequest;
import io.bpfmapd.map.MapService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A scrape of one 65,536-element u64 counter view, as {@code /actuator/prometheus} makes it: through
 * one read-only mapping of the map ({@link MapReader#mapped}), against the same view read with one
 * BPF_MAP_LOOKUP_ELEM per element ({@link #lookupEach}), ebpf_exporter's method. Both build the
 * same 65,536 data points; only the read differs. The read alone is measured too ({@code exportRead*}),
 * and the build alone ({@link #exportBuild}): building the data points costs the same on every path and
 * dominates where a lookup is cheap (the emulation's is a memory copy, no syscall). The service's read of
 * a map it cannot map, BPF_MAP_LOOKUP_BATCH, is {@code exportReadBatch} and {@code exportScrapeBatch}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ExportScrapeBenchmark {

    static final int ENTRIES = 1 << 16;

    @Param({BenchBackends.KERNEL, BenchBackends.EMULATED})
    public String backend;

    private BpfBackend bpf;
    private MapService maps;
    private MapReader reader;
    private ExportView view;
    private String mapId;
    private MapGeometry geometry;
    private MapSnapshot held;

    @Setup(Level.Trial)
    public void create() {
        bpf = BenchBackends.open(backend);
        BackendKind kind = bpf.kind();
        ResourceLimits limits = new ResourceLimits(LimitsProperties.defaults());
        maps = new MapService(List.of(bpf), new BackendProperties(kind), new ApiProperties(1024, 1 << 20),
                Clock.systemUTC(), new SimpleMeterRegistry(), limits);
        mapId = maps.create(new CreateMapRequest("bench_view", io.bpfmapd.backend.MapType.ARRAY, null, 8, ENTRIES,
                List.of(MapFlag.MMAPABLE), kind, null)).id();
        for (int i = 0; i < ENTRIES; i += 97) {
            maps.update(mapId, i, java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putLong(i).array(), io.bpfmapd.backend.UpdateFlag.ANY);
        }
        geometry = maps.geometry(mapId);
        reader = new MapReader(maps, limits);
        view = ExportView.compile(new ViewSpec("bench", mapId, "bench_events_total", null, null, MetricType.COUNTER,
                null, null, null, null, null, null, null));
        view.checkSeries(view.check(geometry), ENTRIES);
        held = reader.mapped(mapId, geometry);
    }

    @TearDown(Level.Trial)
    public void release() {
        maps.closeAll();
        BenchBackends.close(bpf);
    }

    @Benchmark
    public MetricSnapshot exportScrapeMmap() {
        return view.snapshot(view.points(reader.mapped(mapId, geometry), view.baseLabels(null)));
    }

    /** The read alone: one mapping and one copy of the value area. */
    @Benchmark
    public MapSnapshot exportReadMmap() {
        return reader.mapped(mapId, geometry);
    }

    /** The read alone: BPF_MAP_LOOKUP_BATCH, the read of a map the service cannot map (per-CPU, read-only). */
    @Benchmark
    public MapSnapshot exportReadBatch() {
        return reader.lookups(mapId, geometry);
    }

    @Benchmark
    public MetricSnapshot exportScrapeBatch() {
        return view.snapshot(view.points(reader.lookups(mapId, geometry), view.baseLabels(null)));
    }

    /** No read: the data points and the metric from a snapshot read once, what every scrape adds to its read. */
    @Benchmark
    public MetricSnapshot exportBuild() {
        return view.snapshot(view.points(held, view.baseLabels(null)));
    }

    /** The read alone: one BPF_MAP_LOOKUP_ELEM per element. */
    @Benchmark
    public MapSnapshot exportReadLookup() {
        return lookupEach();
    }

    @Benchmark
    public MetricSnapshot exportScrapeLookup() {
        return view.snapshot(view.points(lookupEach(), view.baseLabels(null)));
    }

    /**
     * ebpf_exporter's read, the baseline: one BPF_MAP_LOOKUP_ELEM per element. The service itself reads a
     * map it cannot map with BPF_MAP_LOOKUP_BATCH ({@link MapReader#lookups}).
     */
    private MapSnapshot lookupEach() {
        long elem = geometry.elemSize();
        byte[] data = new byte[(int) (ENTRIES * elem)];
        maps.withMap(mapId, h -> {
            for (int i = 0; i < ENTRIES; i++) {
                byte[] value = h.lookup(i);
                System.arraycopy(value, 0, data, (int) (i * elem), value.length);
            }
            return null;
        });
        return new MapSnapshot(data, ENTRIES, elem, elem, 1);
    }
}
