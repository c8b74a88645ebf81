package io.bpfmapd.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.map.MapService;
import io.bpfmapd.map.PinRoots;
import io.bpfmapd.map.ValueFormat;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** A view's arithmetic on snapshots made by hand: bytes to numbers, per-CPU modes, buckets, and one read per map. */
class ExportViewTest {

    @Test
    void theFormatAndOffsetChooseTheBytesLittleEndianSignedOnlyForI64() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, -2L).putInt(8, 0xFFFF_FFFE).put(12, (byte) 200);
        MapSnapshot s = new MapSnapshot(b.array(), 1, 16, 16, 1);

        assertThat(s.raw(0, 0, 0, ValueFormat.I64)).isEqualTo(-2);
        assertThat(MapSnapshot.asDouble(s.raw(0, 0, 0, ValueFormat.U64), ValueFormat.U64)).isEqualTo(0x1p64 - 2);
        assertThat(s.raw(0, 0, 8, ValueFormat.U32)).isEqualTo(0xFFFF_FFFEL);
        assertThat(s.raw(0, 0, 12, ValueFormat.U8)).isEqualTo(200);
    }

    @Test
    void perCpuSlotsAreSummedMaxedOrKeptWithACpuLabel() {
        // 2 elements, 3 CPUs, one u64 slot each: element i on cpu c holds 10*i + c
        ByteBuffer b = ByteBuffer.allocate(2 * 3 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 3; c++) {
                b.putLong((i * 3 + c) * 8, 10L * i + c);
            }
        }
        MapSnapshot s = new MapSnapshot(b.array(), 2, 24, 8, 3);

        assertThat(values(view(PerCpuMode.SUM).points(s, Labels.EMPTY))).containsExactly(3.0, 33.0);
        assertThat(values(view(PerCpuMode.MAX).points(s, Labels.EMPTY))).containsExactly(2.0, 12.0);
        List<DataPointSnapshot> perCpu = view(PerCpuMode.CPU).points(s, Labels.EMPTY);
        assertThat(perCpu).hasSize(6);
        assertThat(perCpu).anySatisfy(p -> {
            assertThat((Object) p.getLabels()).isEqualTo(Labels.of("cpu", "2", "index", "1"));
            assertThat(((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue()).isEqualTo(12.0);
        });
    }

    @Test
    void exp2zeroPutsBucketZeroInTheZeroBucketAndShiftsTheRestByOne() {
        ExportView view = ExportView.compile(new ViewSpec("h", "m", "lat", null, null, MetricType.HISTOGRAM, null, null,
                "", null, null, null, new BucketLayout(BucketLayout.Kind.EXP2ZERO, 4, null, null, null)));
        ByteBuffer b = ByteBuffer.allocate(4 * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 5).putLong(8, 1).putLong(24, 2); // 5 zeros, 1 of 1, 2 in (2, 4]
        var point = (HistogramSnapshot.HistogramDataPointSnapshot) view.points(new MapSnapshot(b.array(), 4, 8, 8, 1),
                Labels.EMPTY).getFirst();

        assertThat(point.getNativeSchema()).isZero();
        assertThat(point.getNativeZeroCount()).isEqualTo(5);
        assertThat(point.getNativeBucketsForPositiveValues().getBucketIndex(0)).isZero();
        assertThat(point.getNativeBucketsForPositiveValues().getBucketIndex(1)).isEqualTo(2);
        assertThat(point.getClassicBuckets().getUpperBound(3)).isEqualTo(4.0);
        assertThat(point.getCount()).isEqualTo(8);
    }

    /** A view counts integers: the string formats and typed are refused (typed once reached the number code). */
    @Test
    void aFormatThatIsNotIntegersIsRefused() {
        for (ValueFormat format : new ValueFormat[] {ValueFormat.HEX, ValueFormat.BASE64, ValueFormat.TYPED}) {
            assertThatThrownBy(() -> ExportView.compile(new ViewSpec("v", "m", "c", null, null, MetricType.COUNTER, format,
                    null, "", null, null, null, null))).as("%s", format).isInstanceOf(BpfException.class)
                    .hasMessageContaining("is not an integer format");
        }
    }

    @Test
    void linearBucketsAreClassicOnlyWithUpperBoundsStartPlusBTimesWidth() {
        var point = histogram(new BucketLayout(BucketLayout.Kind.LINEAR, 4, 10.0, 10.0, null), 1, 2, 0, 3);

        assertThat(upperBounds(point)).containsExactly(10.0, 20.0, 30.0, 40.0, Double.POSITIVE_INFINITY);
        assertThat(bucketCounts(point)).containsExactly(1L, 2L, 0L, 3L, 0L);
        assertThat(point.getCount()).isEqualTo(6);
        assertThat(point.getSum()).isEqualTo(1 * 10 + 2 * 20 + 3 * 40);
        // not schema 0: no native buckets, so a Prometheus asking for protobuf gets the classic ones
        assertThat(point.hasNativeHistogramData()).isFalse();
        assertThat(point.hasClassicHistogramData()).isTrue();
    }

    @Test
    void fixedBucketsTakeTheListedBoundsAndAreClassicOnly() {
        var point = histogram(new BucketLayout(BucketLayout.Kind.FIXED, null, null, null, List.of(0.5, 1.0, 5.0)), 4, 0, 1);

        assertThat(upperBounds(point)).containsExactly(0.5, 1.0, 5.0, Double.POSITIVE_INFINITY);
        assertThat(bucketCounts(point)).containsExactly(4L, 0L, 1L, 0L);
        assertThat(point.getSum()).isEqualTo(4 * 0.5 + 5.0);
        assertThat(point.hasNativeHistogramData()).isFalse();
    }

    @Test
    void exp2BucketsAreNativeIndexesOfSchemaZero() {
        var point = histogram(new BucketLayout(BucketLayout.Kind.EXP2, 4, null, null, null), 0, 3, 0, 1);

        assertThat(upperBounds(point)).containsExactly(1.0, 2.0, 4.0, 8.0, Double.POSITIVE_INFINITY);
        assertThat(point.getNativeSchema()).isZero();
        assertThat(point.getNativeBucketsForPositiveValues().getBucketIndex(0)).isEqualTo(1);
        assertThat(point.getNativeBucketsForPositiveValues().getCount(0)).isEqualTo(3);
        assertThat(point.getNativeBucketsForPositiveValues().getBucketIndex(1)).isEqualTo(3);
    }

    @Test
    void bucketLayoutsThatCannotApplyAreRefused() {
        assertThatThrownBy(() -> new BucketLayout(BucketLayout.Kind.FIXED, null, null, null, List.of(1.0, 1.0)).upperBounds())
                .isInstanceOf(BpfException.class).hasMessageContaining("increasing");
        assertThatThrownBy(() -> new BucketLayout(BucketLayout.Kind.FIXED, 3, null, null, List.of(1.0, 2.0)).upperBounds())
                .isInstanceOf(BpfException.class).hasMessageContaining("count 3");
        assertThatThrownBy(() -> new BucketLayout(BucketLayout.Kind.LINEAR, 4, 0.0, 0.0, null).upperBounds())
                .isInstanceOf(BpfException.class).hasMessageContaining("width > 0");
        assertThatThrownBy(() -> new BucketLayout(BucketLayout.Kind.EXP2, 66, null, null, null).upperBounds())
                .isInstanceOf(BpfException.class).hasMessageContaining("[1, 65]");
        // the last linear bound overflows to infinity: refused, not exposed as a bucket Prometheus would reject
        assertThatThrownBy(() -> new BucketLayout(BucketLayout.Kind.LINEAR, 3, 0.0, Double.MAX_VALUE, null).upperBounds())
                .isInstanceOf(BpfException.class).hasMessageContaining("finite");
    }

    /** The one histogram point of a view over one series of {@code counts.length} u64 buckets. */
    private static HistogramSnapshot.HistogramDataPointSnapshot histogram(BucketLayout layout, long... counts) {
        ExportView view = ExportView.compile(new ViewSpec("h", "m", "lat", null, null, MetricType.HISTOGRAM, null, null,
                "", null, null, null, layout));
        ByteBuffer b = ByteBuffer.allocate(counts.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < counts.length; i++) {
            b.putLong(i * 8, counts[i]);
        }
        return (HistogramSnapshot.HistogramDataPointSnapshot) view.points(
                new MapSnapshot(b.array(), counts.length, 8, 8, 1), Labels.EMPTY).getFirst();
    }

    private static List<Double> upperBounds(HistogramSnapshot.HistogramDataPointSnapshot point) {
        var buckets = point.getClassicBuckets();
        return java.util.stream.IntStream.range(0, buckets.size()).mapToObj(buckets::getUpperBound).toList();
    }

    private static List<Long> bucketCounts(HistogramSnapshot.HistogramDataPointSnapshot point) {
        var buckets = point.getClassicBuckets();
        return java.util.stream.IntStream.range(0, buckets.size()).mapToObj(buckets::getCount).toList();
    }

    @Test
    void aCpuLabelOnAMapWithoutPerCpuValuesIsRefused() {
        MapGeometry array = MapGeometry.of(new MapSpec("m", MapType.ARRAY, 4, 8, 4, MapFlag.MMAPABLE.bit(), false), 2, 4096);
        assertThatThrownBy(() -> view(PerCpuMode.CPU).check(array)).isInstanceOf(BpfException.class)
                .hasMessageContaining("needs a PERCPU_ARRAY");
    }

    @Test
    void viewsOfTheSameMapShareOneReadPerScrape() {
        MapGeometry geometry = MapGeometry.of(new MapSpec("m", MapType.ARRAY, 4, 16, 4, MapFlag.MMAPABLE.bit(), false), 1, 4096);
        MapService maps = mock(MapService.class);
        when(maps.geometry(anyString())).thenReturn(geometry);
        when(maps.spec(anyString())).thenReturn(geometry.spec());
        AtomicInteger reads = new AtomicInteger();
        MapReader reader = new MapReader(maps, null) {
            @Override
            MapSnapshot read(String mapId) {
                reads.incrementAndGet();
                return new MapSnapshot(new byte[4 * 16], 4, 16, 16, 1);
            }
        };
        var none = new StaticListableBeanFactory().getBeanProvider(PrometheusRegistry.class);
        ExportRegistry registry = new ExportRegistry(maps, new PinRoots(Map.of(io.bpfmapd.backend.BackendKind.EMULATED, new PinRoots.PinRoot(java.nio.file.Path.of("/tmp"), null))), new ExportsProperties(100, List.of()), none);
        registry.create(new ViewSpec("a", "map-1", "first", null, null, MetricType.COUNTER, null, 0, null, null, null, null, null));
        registry.create(new ViewSpec("b", "map-1", "second", null, null, MetricType.GAUGE, null, 8, null, null, null, null, null));
        ExportCollector collector = new ExportCollector(registry, reader, maps, Clock.systemUTC(), none);

        MetricSnapshots scraped = collector.collect();

        assertThat(reads).hasValue(1);
        assertThat(scraped.stream().map(m -> m.getMetadata().getName()))
                .contains("first", "second", ExportCollector.UP, ExportCollector.ERRORS);
        assertThat(scraped.stream().filter(m -> m.getMetadata().getName().equals("first")).findFirst().orElseThrow())
                .isInstanceOf(CounterSnapshot.class);
    }

    private static ExportView view(PerCpuMode mode) {
        return ExportView.compile(new ViewSpec("v", "m", "things", null, null, MetricType.GAUGE, null, null, null, null,
                null, mode, null));
    }

    private static List<Double> values(List<DataPointSnapshot> points) {
        return points.stream().map(p -> ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue()).toList();
    }
}
