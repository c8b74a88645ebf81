package io.bpfmapd.export;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.bench.BenchBackends;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.config.BackendProperties;
import io.bpfmapd.limits.LimitExceededException;
import io.bpfmapd.limits.LimitsProperties;
import io.bpfmapd.limits.ResourceLimits;
import io.bpfmapd.map.CreateMapRequest;
import io.bpfmapd.map.MapService;
import io.bpfmapd.map.PinRoots;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
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
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * A view over a 1,048,576-element map, more series than {@code bpfmapd.exports.max-series} (65,536), is
 * refused at declaration from the map's geometry alone, never reading or allocating for its elements: its
 * refusal ({@link #declareRefusedMillion}) costs what the refusal of a view one series over the cap costs
 * ({@link #declareRefusedJustOver}, 16 times fewer elements). {@link #declareSmall}, a view over a
 * 16-element map declared (and deleted, so that each invocation declares afresh), shows what a declaration
 * costs at all. Run with {@code -prof gc} for the bytes allocated per declaration.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ExportDeclareBenchmark {

    static final int MILLION = 1 << 20;
    static final int MAX_SERIES = 1 << 16;

    @Param({BenchBackends.KERNEL, BenchBackends.EMULATED})
    public String backend;

    private BpfBackend bpf;
    private MapService maps;
    private ExportRegistry registry;
    private ViewSpec small;
    private ViewSpec million;
    private ViewSpec justOver;

    @Setup(Level.Trial)
    public void create() {
        bpf = BenchBackends.open(backend);
        BackendKind kind = bpf.kind();
        maps = new MapService(List.of(bpf), new BackendProperties(kind), new ApiProperties(1024, 1 << 20),
                Clock.systemUTC(), new SimpleMeterRegistry(), new ResourceLimits(LimitsProperties.defaults()));
        String smallMap = maps.create(new CreateMapRequest("bench_small", io.bpfmapd.backend.MapType.ARRAY, null, 8, 16,
                List.of(), kind, null)).id();
        String millionMap = maps.create(new CreateMapRequest("bench_million", io.bpfmapd.backend.MapType.ARRAY, null, 8,
                MILLION, List.of(), kind, null)).id();
        String justOverMap = maps.create(new CreateMapRequest("bench_just_over", io.bpfmapd.backend.MapType.ARRAY, null, 8,
                MAX_SERIES + 1, List.of(), kind, null)).id();
        registry = new ExportRegistry(maps, new PinRoots(Map.of(kind, new PinRoots.PinRoot(Path.of("/nonexistent"), null))),
                new ExportsProperties(MAX_SERIES, List.of()),
                new StaticListableBeanFactory().getBeanProvider(PrometheusRegistry.class));
        small = spec("small", smallMap);
        million = spec("million", millionMap);
        justOver = spec("just_over", justOverMap);
    }

    @TearDown(Level.Trial)
    public void release() {
        maps.closeAll();
        BenchBackends.close(bpf);
    }

    /** The baseline: a view that applies, declared and removed. */
    @Benchmark
    public ExportResource declareSmall() {
        ExportResource view = registry.create(small);
        registry.delete(small.name());
        return view;
    }

    /** A view of 1,048,576 series against a cap of 65,536: E2BIG from the geometry. */
    @Benchmark
    public LimitExceededException declareRefusedMillion() {
        return refused(million);
    }

    /** A view of 65,537 series against a cap of 65,536: the same refusal, 16 times fewer elements. */
    @Benchmark
    public LimitExceededException declareRefusedJustOver() {
        return refused(justOver);
    }

    private LimitExceededException refused(ViewSpec spec) {
        try {
            registry.create(spec);
            throw new IllegalStateException("view " + spec.name() + " was declared under a cap of " + MAX_SERIES);
        } catch (LimitExceededException refused) {
            return refused;
        }
    }

    private static ViewSpec spec(String name, String mapId) {
        return new ViewSpec(name, mapId, "bench_" + name + "_total", null, null, MetricType.COUNTER, null, null, null,
                null, null, null, null);
    }
}
