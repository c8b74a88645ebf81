package io.bpfmapd.export;

import io.bpfmapd.map.ValueFormat;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A metric view, as declared in {@code bpfmapd.exports.views[i]} or in {@code POST /api/v1/exports}: which
 * map, which bytes of each element make the value, and how the elements become Prometheus series. This
 * constructor is the one place a view's omitted fields get their defaults, for both ways of declaring it.
 *
 * @param name        the view's name in the API and in the {@code view} label of {@code bpfmapd_export_up}
 * @param map         a service map id, or a pin path or glob relative to the pin root of the map's backend
 *                    ({@code agent/*_counts}), matched against the pins of the maps the service holds, so the
 *                    view follows imports; a glob adds the label {@code map} (the pin path) to its series
 * @param metric      the Prometheus metric name; a counter's {@code _total} is added at exposition
 * @param help        the HELP text (default: names the view)
 * @param unit        the unit (e.g. {@code bytes}, {@code seconds}), if any; the metric name must end with it
 * @param type        counter, gauge or histogram
 * @param format      the integer format of the value bytes (default {@code u64}, little-endian)
 * @param offset      the byte offset of the value within each element's value (default 0)
 * @param indexLabel  the label that carries the element's index (for histograms, the series' index); default
 *                    {@code index}; empty for none (allowed when the view has one series per map)
 * @param indexNames  label values for indexes 0, 1, ... instead of the number; indexes past the list are
 *                    not exported
 * @param constLabels labels every series of the view carries
 * @param perCpu      per-CPU maps: sum (default), max, or cpu (a series per CPU, label {@code cpu})
 * @param buckets     histograms: the bucket layout; the map's elements are {@code series * count + bucket}
 */
public record ViewSpec(@NotBlank String name,
                       @NotBlank String map,
                       @NotBlank String metric,
                       String help,
                       String unit,
                       @NotNull MetricType type,
                       ValueFormat format,
                       @PositiveOrZero Integer offset,
                       String indexLabel,
                       List<String> indexNames,
                       Map<String, String> constLabels,
                       PerCpuMode perCpu,
                       BucketLayout buckets) {

    public static final String DEFAULT_INDEX_LABEL = "index";

    public ViewSpec {
        help = help == null || help.isBlank() ? "bpfmapd metric view " + name : help;
        unit = unit == null || unit.isBlank() ? null : unit;
        format = format == null ? ValueFormat.U64 : format;
        offset = offset == null ? 0 : offset;
        indexLabel = indexLabel == null ? DEFAULT_INDEX_LABEL : indexLabel;
        indexNames = indexNames == null ? null : List.copyOf(indexNames);
        constLabels = constLabels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(constLabels));
        perCpu = perCpu == null ? PerCpuMode.SUM : perCpu;
    }
}
