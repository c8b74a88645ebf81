package io.bpfmapd.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.bpfmapd.bench.BenchBackends.EMULATED;
import static io.bpfmapd.bench.BenchBackends.KERNEL;

/**
 * Turns a JMH JSON result ({@code -rf json}) into the ratio table of docs/performance.md.
 * Ratios are taken between scores of the same run only: absolute times on a shared machine drift, their
 * ratios much less.
 *
 * <p>Usage: {@code RatioReport <jmh-result.json> [results.tsv]}: prints a Markdown table; with a second
 * argument, also appends one tab-separated line per ratio ({@code name, value, target, verdict}), the
 * format the scripts under {@code src/bench/} share.
 */
public final class RatioReport {

    /** The targets of the performance issue, measured in process. */
    public static final List<Ratio> RATIOS = List.of(
            new Ratio("kernel: mmap read vs BPF_MAP_LOOKUP_ELEM",
                    new Score.Key("syscallLookup", KERNEL), new Score.Key("mmapRead", KERNEL), 50, true),
            new Ratio("kernel: mmap write vs BPF_MAP_UPDATE_ELEM",
                    new Score.Key("syscallUpdate", KERNEL), new Score.Key("mmapWrite", KERNEL), 50, true),
            new Ratio("emulated mmap read / kernel mmap read (time)",
                    new Score.Key("mmapRead", EMULATED), new Score.Key("mmapRead", KERNEL), 2, false),
            new Ratio("emulated mmap write / kernel mmap write (time)",
                    new Score.Key("mmapWrite", EMULATED), new Score.Key("mmapWrite", KERNEL), 2, false),
            new Ratio("kernel: 65,536-element view scrape, mmap vs a lookup per element",
                    new Score.Key("exportScrapeLookup", KERNEL), new Score.Key("exportScrapeMmap", KERNEL), 20, true),
            new Ratio("emulated: 65,536-element view scrape, mmap vs a lookup per element",
                    new Score.Key("exportScrapeLookup", EMULATED), new Score.Key("exportScrapeMmap", EMULATED), 20, true),
            new Ratio("kernel: 65,536-element view read, mmap vs a lookup per element",
                    new Score.Key("exportReadLookup", KERNEL), new Score.Key("exportReadMmap", KERNEL), 20, true),
            new Ratio("emulated: 65,536-element view read, mmap vs a lookup per element",
                    new Score.Key("exportReadLookup", EMULATED), new Score.Key("exportReadMmap", EMULATED), 20, true),
            new Ratio("kernel: max-series refusal, 1M-element view vs 65,537-element view (time)",
                    new Score.Key("declareRefusedMillion", KERNEL), new Score.Key("declareRefusedJustOver", KERNEL), 2, false),
            new Ratio("emulated: max-series refusal, 1M-element view vs 65,537-element view (time)",
                    new Score.Key("declareRefusedMillion", EMULATED), new Score.Key("declareRefusedJustOver", EMULATED), 2, false));

    /** A computed ratio; {@code value} is empty when one of its two scores is missing from the run. */
    public record Row(Ratio ratio, Optional<Double> value) {
        public String verdict() {
            return value.map(v -> ratio.met(v) ? "met" : "MISSED").orElse("not measured");
        }

        public String valueText() {
            return value.map(v -> Score.format(v) + "×").orElse("–");
        }
    }

    private RatioReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: RatioReport <jmh-result.json> [results.tsv]");
            System.exit(2);
        }
        List<Score> scores = read(Path.of(args[0]));
        List<Row> rows = rows(scores);
        System.out.print(table(scores, rows));
        if (args.length == 2) {
            StringBuilder tsv = new StringBuilder();
            for (Row r : rows) {
                tsv.append(r.ratio().name()).append('\t').append(r.valueText()).append('\t')
                        .append(r.ratio().targetText()).append('\t').append(r.verdict()).append('\n');
            }
            Files.writeString(Path.of(args[1]), tsv, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /** The scores of a JMH JSON result; benchmarks without a {@code backend} parameter get "-". */
    public static List<Score> read(Path jmhJson) throws IOException {
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(jmhJson));
        List<Score> scores = new ArrayList<>();
        for (JsonNode run : root) {
            String benchmark = run.get("benchmark").asString();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            JsonNode params = run.get("params");
            String backend = params != null && params.has("backend") ? params.get("backend").asString() : "-";
            JsonNode metric = run.get("primaryMetric");
            scores.add(new Score(new Score.Key(method, backend), metric.get("score").asDouble(),
                    metric.get("scoreUnit").asString()));
        }
        return scores;
    }

    public static List<Row> rows(List<Score> scores) {
        Map<Score.Key, Double> byKey = scores.stream()
                .collect(Collectors.toMap(Score::key, Score::value, (a, b) -> b));
        Function<Ratio, Optional<Double>> compute = r -> {
            Double slower = byKey.get(r.slower());
            Double faster = byKey.get(r.faster());
            return slower == null || faster == null || faster <= 0 ? Optional.empty() : Optional.of(slower / faster);
        };
        return RATIOS.stream().map(r -> new Row(r, compute.apply(r))).toList();
    }

    static String table(List<Score> scores, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | score |\n|---|---:|\n");
        for (Score s : scores) {
            out.append("| ").append(s.key()).append(" | ").append(Score.format(s.value())).append(' ')
                    .append(s.unit()).append(" |\n");
        }
        out.append("\n| ratio (same run) | measured | target | verdict |\n|---|---:|---:|---|\n");
        for (Row r : rows) {
            out.append("| ").append(r.ratio().name()).append(" | ").append(r.valueText()).append(" | ")
                    .append(r.ratio().targetText()).append(" | ").append(r.verdict()).append(" |\n");
        }
        return out.toString();
    }
}
