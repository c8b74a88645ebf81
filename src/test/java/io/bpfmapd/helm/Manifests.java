package io.bpfmapd.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The documents of one {@code helm template} run, read into fabric8's model classes by kind. */
record Manifests(List<JsonNode> documents) {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonMapper JSON = new JsonMapper();

    static Manifests parse(String rendered) {
        var documents = new ArrayList<JsonNode>();
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(rendered)) {
            while (values.hasNext()) {
                JsonNode document = values.next();
                if (document != null && document.isObject() && document.has("kind")) {
                    documents.add(document);
                }
            }
        }
        return new Manifests(List.copyOf(documents));
    }

    List<String> kinds() {
        return documents.stream().map(d -> d.get("kind").asString()).toList();
    }

    <T> Optional<T> find(String kind, Class<T> type) {
        List<JsonNode> matching = documents.stream().filter(d -> kind.equals(d.get("kind").asString())).toList();
        assertThat(matching).as("documents of kind %s", kind).hasSizeLessThanOrEqualTo(1);
        return matching.stream().findFirst().map(d -> JSON.treeToValue(d, type));
    }

    <T> T one(String kind, Class<T> type) {
        return find(kind, type).orElseThrow(() -> new AssertionError("no " + kind + " rendered; kinds: " + kinds()));
    }

    Optional<JsonNode> findNode(String kind, String nameSuffix) {
        return documents.stream()
                .filter(d -> kind.equals(d.get("kind").asString()))
                .filter(d -> d.path("metadata").path("name").asString().endsWith(nameSuffix))
                .findFirst();
    }

    Deployment deployment() {
        return one("Deployment", Deployment.class);
    }

    DaemonSet daemonSet() {
        return one("DaemonSet", DaemonSet.class);
    }

    Service service() {
        return one("Service", Service.class);
    }

    /** The pod template of whichever workload the mode rendered. */
    PodTemplateSpec podTemplate() {
        return find("Deployment", Deployment.class).map(d -> d.getSpec().getTemplate())
                .orElseGet(() -> daemonSet().getSpec().getTemplate());
    }

    Map<String, String> workloadSelector() {
        return find("Deployment", Deployment.class).map(d -> d.getSpec().getSelector().getMatchLabels())
                .orElseGet(() -> daemonSet().getSpec().getSelector().getMatchLabels());
    }

    Container container() {
        return podTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("bpfmapd")).findFirst().orElseThrow();
    }

    /** The application.yaml the chart renders into its ConfigMap, as a tree. */
    JsonNode applicationYaml() {
        ConfigMap configMap = documents.stream()
                .filter(d -> "ConfigMap".equals(d.get("kind").asString()))
                .map(d -> JSON.treeToValue(d, ConfigMap.class))
                .filter(c -> c.getData().containsKey("application.yaml"))
                .findFirst().orElseThrow();
        return YAML.readTree(configMap.getData().get("application.yaml"));
    }
}
