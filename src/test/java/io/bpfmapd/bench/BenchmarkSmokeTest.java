package io.bpfmapd.bench;

import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.export.ExportDeclareBenchmark;
import io.bpfmapd.export.ExportScrapeBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the JMH benchmarks from rotting: each runs once, in process and for a moment, through the JMH
 * Runner, and its JSON goes through {@link RatioReport}. The numbers are meaningless here; what is
 * asserted is that every benchmark runs, and every ratio of the report is computed from them.
 * {@code ./mvnw -Pjmh verify} is the real run.
 */
class BenchmarkSmokeTest {

    private static final List<String> METHODS = List.of("mmapRead", "mmapWrite", "syscallLookup", "syscallUpdate");

    @Test
    void everyElementBenchmarkRunsOnTheEmulatedBackend(@TempDir Path dir) throws Exception {
        List<Score> scores = smoke(ElementAccessBenchmark.class, dir, BenchBackends.EMULATED);

        assertThat(scores).extracting(s -> s.key().method()).containsExactlyInAnyOrderElementsOf(METHODS);
        assertThat(scores).allSatisfy(s -> {
            assertThat(s.key().backend()).isEqualTo(BenchBackends.EMULATED);
            assertThat(s.value()).isPositive().isFinite();
            assertThat(s.unit()).isEqualTo("ns/op");
        });
    }

    @Test
    void theExportScrapeBenchmarkRunsOnTheEmulatedBackend(@TempDir Path dir) throws Exception {
        List<Score> scores = smoke(ExportScrapeBenchmark.class, dir, BenchBackends.EMULATED);

        assertThat(scores).extracting(s -> s.key().method())
                .containsExactlyInAnyOrder("exportScrapeMmap", "exportScrapeLookup", "exportScrapeBatch", "exportReadMmap",
                        "exportReadLookup", "exportReadBatch", "exportBuild");
        assertThat(scores).allSatisfy(s -> assertThat(s.value()).isPositive().isFinite());
    }

    @Test
    void theExportDeclareBenchmarkRunsOnTheEmulatedBackend(@TempDir Path dir) throws Exception {
        List<Score> scores = smoke(ExportDeclareBenchmark.class, dir, BenchBackends.EMULATED);

        assertThat(scores).extracting(s -> s.key().method()).containsExactlyInAnyOrder("declareSmall", "declareRefusedMillion", "declareRefusedJustOver");
        assertThat(scores).allSatisfy(s -> assertThat(s.value()).isPositive().isFinite());
    }

    @Test
    void theMappingLifecycleBenchmarkRunsOnTheEmulatedBackend(@TempDir Path dir) throws Exception {
        List<Score> scores = smoke(MappingLifecycleBenchmark.class, dir, BenchBackends.EMULATED);

        assertThat(scores).singleElement().satisfies(s -> {
            assertThat(s.key()).isEqualTo(new Score.Key("mmapAndClose", BenchBackends.EMULATED));
            assertThat(s.value()).isPositive().isFinite();
        });
    }

    @Test
    @RequiresKernel
    void theMappingLifecycleBenchmarkRunsOnTheKernel(@TempDir Path dir) throws Exception {
        List<Score> scores = smoke(MappingLifecycleBenchmark.class, dir, BenchBackends.KERNEL);

        assertThat(scores).singleElement().satisfies(s -> assertThat(s.value()).isPositive().isFinite());
    }

    @Test
    @RequiresKernel
    void everyRatioIsComputedFromAKernelAndEmulatedRun(@TempDir Path dir) throws Exception {
        List<Score> scores = new java.util.ArrayList<>(
                smoke(ElementAccessBenchmark.class, java.nio.file.Files.createDirectory(dir.resolve("element")),
                        BenchBackends.KERNEL, BenchBackends.EMULATED));
        scores.addAll(smoke(ExportScrapeBenchmark.class, java.nio.file.Files.createDirectory(dir.resolve("export")),
                BenchBackends.KERNEL, BenchBackends.EMULATED));

        scores.addAll(smoke(ExportDeclareBenchmark.class, java.nio.file.Files.createDirectory(dir.resolve("declare")),
                BenchBackends.KERNEL, BenchBackends.EMULATED));

        assertThat(scores).hasSize(METHODS.size() * 2 + 7 * 2 + 3 * 2);
        List<RatioReport.Row> rows = RatioReport.rows(scores);
        assertThat(rows).hasSameSizeAs(RatioReport.RATIOS);
        // Computed, not necessarily met: a 100 ms in-process run on a busy machine proves nothing.
        assertThat(rows).allSatisfy(r -> assertThat(r.value()).hasValueSatisfying(v -> assertThat(v).isPositive().isFinite()));
        assertThat(RatioReport.table(scores, rows)).contains("kernel: mmap read vs BPF_MAP_LOOKUP_ELEM");
    }

    private static List<Score> smoke(Class<?> benchmark, Path dir, String... backends) throws Exception {
        Path json = dir.resolve("jmh.json");
        Options options = new OptionsBuilder()
                .include("^" + java.util.regex.Pattern.quote(benchmark.getName()) + "\\.")
                .param("backend", backends)
                // In the test JVM: it already has native access, and a fork would cost seconds each.
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .build();
        new Runner(options).run();
        return RatioReport.read(json);
    }
}
