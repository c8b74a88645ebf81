package io.bpfmapd.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The chart under helm/bpfmapd, rendered and linted through helm-java (which ships helm itself). */
final class HelmChart {

    static final Path DIR = Path.of("helm", "bpfmapd").toAbsolutePath();
    static final Path EXAMPLES = DIR.resolve("examples");
    static final String RELEASE = "bm";
    static final String NAMESPACE = "telemetry";
    /** helm template assumes Kubernetes 1.20 without a cluster; the chart needs 1.25 (CAP_BPF, internalTrafficPolicy). */
    static final String KUBE_VERSION = "1.30.0";

    private static final YAMLMapper YAML = new YAMLMapper();

    private HelmChart() {
    }

    /** {@code helm template} with the given values files and --set pairs. Throws when helm refuses. */
    static Manifests render(Map<String, ?> sets, Path... valuesFiles) {
        var template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (Path file : valuesFiles) {
            template = template.withValuesFile(file);
        }
        for (var set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return Manifests.parse(template.call());
    }

    static Manifests render(Path... valuesFiles) {
        return render(Map.of(), valuesFiles);
    }

    /**
     * {@code helm lint} of the chart as it would be installed with {@code valuesFile}: helm-java's
     * lint reads only the chart's own values.yaml, so the chart is copied and its values.yaml
     * replaced by the defaults merged with the file, as helm merges them.
     */
    static LintResult lint(Path valuesFile) {
        try {
            Path copy = Files.createTempDirectory("bpfmapd-chart").resolve("bpfmapd");
            copyTree(DIR, copy);
            if (valuesFile != null) {
                var merged = (ObjectNode) YAML.readTree(DIR.resolve("values.yaml").toFile());
                merge(merged, YAML.readTree(valuesFile.toFile()));
                YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
            }
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode into, JsonNode from) {
        for (var field : from.properties()) {
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode target && field.getValue().isObject()) {
                merge(target, field.getValue());
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
