package io.bpfmapd.export;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.limits.LimitExceededException;
import io.bpfmapd.map.ValueFormat;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A {@link ViewSpec} checked once, at declaration: what can be checked without a map (names, labels,
 * format, buckets) here, what depends on the map in {@link #check}. Turns a {@link MapSnapshot} into data
 * points; knows nothing of where the snapshot came from.
 */
final class ExportView {

    /** The view's own name is a path segment of /api/v1/exports/{name}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** The metrics of the exporter itself; no view may take their prefix. */
    static final String OWN_PREFIX = "bpfmapd_export_";
    /** The label a glob view adds: the pin path of the map a series comes from. */
    static final String MAP_LABEL = "map";

    private final ViewSpec spec;
    private final MetricMetadata metadata;
    private final boolean glob;
    /** Histograms: the upper bound of each bucket; null otherwise. */
    private final double[] upperBounds;
    private final int bucketsPerSeries;

    private ExportView(ViewSpec spec, MetricMetadata metadata, boolean glob, double[] upperBounds) {
        this.spec = spec;
        this.metadata = metadata;
        this.glob = glob;
        this.upperBounds = upperBounds;
        this.bucketsPerSeries = upperBounds == null ? 1 : upperBounds.length;
    }

    /** @throws BpfException EINVAL for what no map could fix: a bad name, label, format or bucket layout */
    static ExportView compile(ViewSpec spec) {
        if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            throw invalid("a view name is 1 to 64 of [A-Za-z0-9_.-]; got '" + spec.name() + "'");
        }
        if (spec.type() == null || spec.map() == null || spec.map().isBlank()) {
            throw invalid("a view needs a map and a type (counter, gauge, histogram)");
        }
        String metric = spec.metric() == null ? "" : spec.metric();
        if (spec.type() == MetricType.COUNTER && metric.endsWith("_total")) {
            metric = metric.substring(0, metric.length() - "_total".length());
        }
        if (!PrometheusNaming.isValidLegacyMetricName(metric) || metric.startsWith(OWN_PREFIX)) {
            throw invalid("'" + spec.metric() + "' is not a metric name a view may take ([a-zA-Z_:][a-zA-Z0-9_:]*, not "
                    + OWN_PREFIX + "*)");
        }
        MetricMetadata metadata;
        try {
            metadata = spec.unit() == null ? new MetricMetadata(metric, spec.help())
                    : new MetricMetadata(metric, spec.help(), new Unit(spec.unit()));
        } catch (IllegalArgumentException e) {
            throw invalid("metric '" + spec.metric() + "': " + e.getMessage());
        }
        if (!spec.format().integers()) {
            throw invalid("format " + spec.format().field() + " is not an integer format; use one of u8, u16, u32, u64, i64");
        }
        boolean glob = spec.map().chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
        Set<String> labels = new HashSet<>();
        if (!spec.indexLabel().isEmpty()) {
            label(labels, spec.indexLabel());
        }
        spec.constLabels().keySet().forEach(name -> label(labels, name));
        if (spec.perCpu() == PerCpuMode.CPU) {
            label(labels, PerCpuMode.CPU_LABEL);
        }
        if (glob) {
            label(labels, MAP_LABEL);
        }
        double[] upper = null;
        if (spec.type() == MetricType.HISTOGRAM) {
            if (spec.buckets() == null) {
                throw invalid("a histogram view needs buckets");
            }
            if (labels.contains("le")) {
                throw invalid("'le' is the bucket label of a histogram");
            }
            upper = spec.buckets().upperBounds();
        } else if (spec.buckets() != null) {
            throw invalid("buckets are for histogram views only");
        }
        return new ExportView(spec, metadata, glob, upper);
    }

    ViewSpec spec() {
        return spec;
    }

    /** The metric's name in the exposition, without a counter's {@code _total}. */
    String metricName() {
        return metadata.getPrometheusName();
    }

    /** Whether {@link ViewSpec#map()} is a glob rather than one pin or id. */
    boolean glob() {
        return glob;
    }

    /**
     * Whether the view applies to a map of this geometry, and how many series it then exposes.
     *
     * @throws BpfException EINVAL when it cannot apply (offset outside the value, bucket count not dividing
     *                      the entries, a cpu label on a map without per-CPU values, one series per map with
     *                      no index label)
     */
    long check(MapGeometry geometry) {
        int valueSize = geometry.spec().valueSize();
        if (spec.offset() + (long) spec.format().width() > valueSize) {
            throw invalid("view " + spec.name() + ": " + spec.format().field() + " at offset " + spec.offset()
                    + " is outside the map's " + valueSize + "-byte value");
        }
        boolean perCpu = geometry.spec().type() == MapType.PERCPU_ARRAY;
        if (spec.perCpu() == PerCpuMode.CPU && !perCpu) {
            throw invalid("view " + spec.name() + ": perCpu cpu needs a PERCPU_ARRAY; this map is "
                    + geometry.spec().type());
        }
        long entries = Integer.toUnsignedLong(geometry.spec().maxEntries());
        if (entries % bucketsPerSeries != 0) {
            throw invalid("view " + spec.name() + ": the map's " + entries + " entries are not a whole number of "
                    + bucketsPerSeries + "-bucket histograms");
        }
        long groups = seriesGroups(entries);
        if (groups > 1 && spec.indexLabel().isEmpty()) {
            throw invalid("view " + spec.name() + ": " + groups + " series need an index label");
        }
        return groups * (spec.perCpu() == PerCpuMode.CPU ? geometry.possibleCpus() : 1);
    }

    /** @throws LimitExceededException E2BIG when {@code series} is above {@code max} */
    void checkSeries(long series, int max) {
        if (series > max) {
            throw LimitExceededException.tooBig(ExportsProperties.MAX_SERIES, max, "view " + spec.name() + " would expose "
                    + series + " series; at most " + max + " (" + ExportsProperties.MAX_SERIES + ")");
        }
    }

    /** The view's data points over one map's snapshot; {@code base} are the constant (and map) labels. */
    List<DataPointSnapshot> points(MapSnapshot snapshot, Labels base) {
        int cpus = spec.perCpu() == PerCpuMode.CPU ? snapshot.cpus() : 1;
        Layout layout = layout(base, seriesGroups(snapshot.entries()), cpus);
        List<DataPointSnapshot> points = new ArrayList<>(layout.labels().length);
        for (int k = 0; k < layout.labels().length; k++) {
            int g = layout.group()[k];
            int cpu = spec.perCpu() == PerCpuMode.CPU ? layout.cpu()[k] : -1;
            Labels series = layout.labels()[k];
            points.add(switch (spec.type()) {
                case COUNTER -> new CounterSnapshot.CounterDataPointSnapshot(value(snapshot, g, cpu), series, null, 0L);
                case GAUGE -> new GaugeSnapshot.GaugeDataPointSnapshot(value(snapshot, g, cpu), series, null);
                case HISTOGRAM -> histogram(snapshot, g, cpu, series);
            });
        }
        return points;
    }

    /**
     * The labels of one map's series, built once and kept while the map's shape stays: in the order
     * client_java sorts a metric's data points (MetricSnapshot sorts them by labels to find duplicates),
     * so that its sort at each scrape is one pass over sorted input rather than n log n string compares.
     */
    private record Layout(Labels[] labels, int[] group, int[] cpu) {
    }

    private record LayoutKey(Labels base, long groups, int cpus) {
    }

    /** Maps a glob view has seen; forgotten beyond a bound (a map that went leaves its layout behind). */
    private static final int MAX_LAYOUTS = 64;
    private final Map<LayoutKey, Layout> layouts = new ConcurrentHashMap<>();

    private Layout layout(Labels base, long groups, int cpus) {
        if (layouts.size() > MAX_LAYOUTS) {
            layouts.clear();
        }
        return layouts.computeIfAbsent(new LayoutKey(base, groups, cpus), key -> {
            int n = Math.toIntExact(groups * cpus);
            Labels[] labels = new Labels[n];
            int[] group = new int[n];
            int[] cpu = new int[n];
            int k = 0;
            for (int g = 0; g < groups; g++) {
                Labels indexed = spec.indexLabel().isEmpty() ? base : base.add(spec.indexLabel(), indexValue(g));
                for (int c = 0; c < cpus; c++) {
                    labels[k] = spec.perCpu() == PerCpuMode.CPU ? indexed.add(PerCpuMode.CPU_LABEL, Integer.toString(c)) : indexed;
                    group[k] = g;
                    cpu[k] = c;
                    k++;
                }
            }
            Integer[] order = new Integer[n];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, (a, b) -> labels[a].compareTo(labels[b]));
            Labels[] sortedLabels = new Labels[n];
            int[] sortedGroup = new int[n];
            int[] sortedCpu = new int[n];
            for (int i = 0; i < n; i++) {
                sortedLabels[i] = labels[order[i]];
                sortedGroup[i] = group[order[i]];
                sortedCpu[i] = cpu[order[i]];
            }
            return new Layout(sortedLabels, sortedGroup, sortedCpu);
        });
    }

    /** The metric of the view from the points of every map it matched. */
    @SuppressWarnings("unchecked")
    MetricSnapshot snapshot(List<DataPointSnapshot> points) {
        return switch (spec.type()) {
            case COUNTER -> new CounterSnapshot(metadata, (List<CounterSnapshot.CounterDataPointSnapshot>) (List<?>) points);
            case GAUGE -> new GaugeSnapshot(metadata, (List<GaugeSnapshot.GaugeDataPointSnapshot>) (List<?>) points);
            case HISTOGRAM -> new HistogramSnapshot(metadata,
                    (List<HistogramSnapshot.HistogramDataPointSnapshot>) (List<?>) points);
        };
    }

    /** Constant labels, plus the pin path for a glob view. */
    Labels baseLabels(String pin) {
        Labels labels = Labels.EMPTY;
        for (var label : spec.constLabels().entrySet()) {
            labels = labels.add(label.getKey(), label.getValue());
        }
        return glob ? labels.add(MAP_LABEL, pin) : labels;
    }

    private long seriesGroups(long entries) {
        long groups = entries / bucketsPerSeries;
        return spec.indexNames() == null ? groups : Math.min(groups, spec.indexNames().size());
    }

    private String indexValue(int group) {
        return spec.indexNames() == null ? Integer.toString(group) : spec.indexNames().get(group);
    }

    /** Element {@code index}'s value; across CPUs as the view's per-CPU mode says when {@code cpu} is -1. */
    private double value(MapSnapshot snapshot, int index, int cpu) {
        ValueFormat format = spec.format();
        if (cpu >= 0 || snapshot.cpus() == 1) {
            return MapSnapshot.asDouble(snapshot.raw(index, Math.max(cpu, 0), spec.offset(), format), format);
        }
        double result = spec.perCpu() == PerCpuMode.MAX ? Double.NEGATIVE_INFINITY : 0;
        for (int c = 0; c < snapshot.cpus(); c++) {
            double v = MapSnapshot.asDouble(snapshot.raw(index, c, spec.offset(), format), format);
            result = spec.perCpu() == PerCpuMode.MAX ? Math.max(result, v) : result + v;
        }
        return result;
    }

    /**
     * Series {@code group}'s buckets as classic buckets (plus the +Inf one Prometheus requires, empty: the
     * last bucket of the map takes what lies above it) and, for log2 layouts, as native buckets of schema 0.
     * The sum is not in the map: it is estimated as each bucket's count times its upper bound, as
     * ebpf_exporter does, so it is at most twice the truth for log2 buckets.
     */
    private HistogramSnapshot.HistogramDataPointSnapshot histogram(MapSnapshot snapshot, int group, int cpu, Labels labels) {
        int n = bucketsPerSeries;
        long[] counts = new long[n + 1];
        double sum = 0;
        for (int b = 0; b < n; b++) {
            long count = Math.max(0, Math.round(value(snapshot, group * n + b, cpu)));
            counts[b] = count;
            sum += count * upperBounds[b];
        }
        double[] bounds = Arrays.copyOf(upperBounds, n + 1);
        bounds[n] = Double.POSITIVE_INFINITY;
        ClassicHistogramBuckets classic = ClassicHistogramBuckets.of(bounds, counts);
        if (!spec.buckets().log2()) {
            return new HistogramSnapshot.HistogramDataPointSnapshot(classic, sum, labels, Exemplars.EMPTY, 0L);
        }
        long zero = 0;
        List<Integer> indexes = new ArrayList<>();
        List<Long> nativeCounts = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            int index = spec.buckets().nativeIndex(b);
            if (index == Integer.MIN_VALUE) {
                zero += counts[b];
            } else if (counts[b] > 0) {
                indexes.add(index);
                nativeCounts.add(counts[b]);
            }
        }
        return new HistogramSnapshot.HistogramDataPointSnapshot(classic, 0, zero, 0.0,
                NativeHistogramBuckets.of(indexes, nativeCounts), NativeHistogramBuckets.EMPTY, sum, labels,
                Exemplars.EMPTY, 0L);
    }

    private static void label(Set<String> labels, String name) {
        if (!PrometheusNaming.isValidLegacyLabelName(name) || name.startsWith("__")) {
            throw invalid("'" + name + "' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not __*)");
        }
        if (!labels.add(name)) {
            throw invalid("the label '" + name + "' is given twice");
        }
    }

    private static BpfException invalid(String detail) {
        return new BpfException(Errno.EINVAL, "export", detail);
    }
}
