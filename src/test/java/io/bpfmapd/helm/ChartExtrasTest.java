package io.bpfmapd.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The optional pieces: ServiceMonitor, Grafana dashboard, a chart-made tokens Secret, NOTES. */
class ChartExtrasTest {

    /** The service's own metrics (maps, sessions, freezes, session bytes) and the standard HTTP server timer; each needs a panel. */
    private static final List<String> METRICS = List.of(
            "bpfmapd_maps", "bpfmapd_sessions_active", "bpfmapd_sessions_opened_total",
            "bpfmapd_sessions_expired_total", "bpfmapd_freezes_total", "bpfmapd_session_bytes_read_total",
            "bpfmapd_session_bytes_written_total", "http_server_requests_seconds");

    @Test
    void serviceMonitorScrapesThePrometheusEndpointOnTheServicesPort() {
        var manifests = HelmChart.render(Map.of("serviceMonitor.enabled", true, "serviceMonitor.labels.release", "kps", "tokens.allowOpen", true));
        JsonNode monitor = manifests.findNode("ServiceMonitor", "bpfmapd").orElseThrow();
        assertThat(monitor.at("/apiVersion").asString()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.at("/metadata/labels/release").asString()).isEqualTo("kps");
        assertThat(monitor.at("/spec/endpoints/0/port").asString())
                .isEqualTo(manifests.service().getSpec().getPorts().getFirst().getName());
        assertThat(monitor.at("/spec/endpoints/0/path").asString()).isEqualTo("/actuator/prometheus");
        assertThat(monitor.at("/spec/namespaceSelector/matchNames/0").asString()).isEqualTo(HelmChart.NAMESPACE);
        var selector = JsonMapper.shared().convertValue(monitor.at("/spec/selector/matchLabels"), Map.class);
        assertThat(manifests.service().getMetadata().getLabels()).containsAllEntriesOf(selector);
    }

    @Test
    void grafanaDashboardIsValidJsonWithAPanelForEveryMetric() {
        var manifests = HelmChart.render(Map.of("tokens.allowOpen", true));
        ConfigMap dashboard = manifests.findNode("ConfigMap", "-dashboard")
                .map(n -> JsonMapper.shared().treeToValue(n, ConfigMap.class)).orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode json = JsonMapper.shared().readTree(dashboard.getData().get("bpfmapd.json"));
        assertThat(json.get("uid").asString()).isEqualTo("bpfmapd");
        List<String> expressions = json.get("panels").valueStream()
                .flatMap(p -> p.get("targets").valueStream()).map(t -> t.get("expr").asString()).toList();
        for (String metric : METRICS) {
            assertThat(expressions).as(metric).anyMatch(e -> Pattern.compile("\\b" + metric + "(_\\w+)?\\{").matcher(e).find());
        }
        assertThat(HelmChart.render(Map.of("grafanaDashboard.enabled", false, "tokens.allowOpen", true)).findNode("ConfigMap", "-dashboard")).isEmpty();
    }

    @Test
    void metricViewsDashboardIsTemplatedByViewAndShowsEachViewsHealth() {
        var manifests = HelmChart.render(Map.of("tokens.allowOpen", true));
        ConfigMap dashboard = manifests.findNode("ConfigMap", "-dashboard")
                .map(n -> JsonMapper.shared().treeToValue(n, ConfigMap.class)).orElseThrow();
        JsonNode json = JsonMapper.shared().readTree(dashboard.getData().get("bpfmapd-exports.json"));
        assertThat(json.get("uid").asString()).isEqualTo("bpfmapd-exports").isNotEqualTo(
                JsonMapper.shared().readTree(dashboard.getData().get("bpfmapd.json")).get("uid").asString());
        JsonNode view = json.at("/templating/list").valueStream()
                .filter(v -> v.get("name").asString().equals("view")).findFirst().orElseThrow();
        assertThat(view.get("query").asString()).isEqualTo("label_values(bpfmapd_export_up, view)");
        List<String> expressions = json.get("panels").valueStream()
                .flatMap(p -> p.get("targets").valueStream()).map(t -> t.get("expr").asString()).toList();
        assertThat(expressions).anyMatch(e -> e.contains("bpfmapd_export_up{view=~\"$view\""));
        assertThat(expressions).anyMatch(e -> e.contains("rate(bpfmapd_export_errors_total{view=~\"$view\"")
                && e.contains("[5m])"));
    }

    @Test
    void aChartMadeSecretCarriesTheTokensFileTheServiceIsPointedAt() {
        var manifests = HelmChart.render(Map.of("tokens.create", true, "tokens.content", "reader: s3cret"));
        Secret secret = manifests.one("Secret", Secret.class);
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("tokens")), StandardCharsets.UTF_8))
                .isEqualTo("reader: s3cret");
        assertThat(manifests.podTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
                        .isEqualTo(secret.getMetadata().getName()));
        assertThat(manifests.applicationYaml().at("/bpfmapd/security/tokens-file").asString())
                .isEqualTo("/etc/bpfmapd/secrets/tokens");
    }
}
