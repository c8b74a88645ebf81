package io.bpfmapd.helm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json: wrong values fail at install time, naming what is wrong. */
class ChartValuesSchemaTest {

    static java.util.stream.Stream<Arguments> badValues() {
        return java.util.stream.Stream.of(
                Arguments.of(Map.of("mode", "statefulset"), "mode"),
                Arguments.of(Map.of("image.repository", ""), "repository"),
                Arguments.of(Map.of("imagee.tag", "1"), "imagee"),
                Arguments.of(Map.of("service.port", 70000), "port"),
                Arguments.of(Map.of("containerPort", "http"), "containerPort"),
                Arguments.of(Map.of("kernel.imports[0]", "agent/counters"), "imports"),
                Arguments.of(Map.of("kernel.imports[0]", "/sys/fs/bpf/../../etc/passwd"), "imports"),
                Arguments.of(Map.of("kernel.capabilities[0]", "NET_ADMIN"), "capabilities"),
                Arguments.of(Map.of("kernel.stateHostPath", "var/lib/bpfmapd"), "stateHostPath"),
                Arguments.of(Map.of("resources.limits.memory", "lots"), "memory"),
                Arguments.of(Map.of("tokens.create", true), "content"),
                Arguments.of(Map.of("emulated.persistence.enabled", true, "replicaCount", 2), "replicaCount"),
                Arguments.of(Map.of("mode", "daemonset", "emulated.persistence.enabled", true), "enabled"),
                Arguments.of(Map.of("serviceMonitor.interval", "often"), "interval"),
                Arguments.of(Map.of("kernel.watch.globs[0]", "/sys/fs/bpf/agent/**"), "globs"),
                Arguments.of(Map.of("kernel.watch.globs[0]", "agent/../../etc/*"), "globs"),
                Arguments.of(Map.of("kernel.watch.interval", "2"), "interval"),
                Arguments.of(Map.of("kernel.watch.every", "2s"), "every"),
                Arguments.of(Map.of("kernel.noCapabilities.runAsUser", 0), "runAsUser"),
                Arguments.of(Map.of("kernel.noCapabilities.enabled", "yes"), "enabled"),
                Arguments.of(Map.of("exports.views[0].name", "v", "exports.views[0].map", "agent/c",
                        "exports.views[0].metric", "agent_c", "exports.views[0].type", "summary"), "type"),
                Arguments.of(Map.of("exports.views[0].name", "v", "exports.views[0].map", "agent/c",
                        "exports.views[0].type", "counter"), "metric"),
                Arguments.of(Map.of("exports.views[0].name", "v", "exports.views[0].map", "agent/c",
                        "exports.views[0].metric", "agent-c", "exports.views[0].type", "counter"), "metric"),
                Arguments.of(Map.of("exports.views[0].name", "v", "exports.views[0].map", "agent/c",
                        "exports.views[0].metric", "agent_c", "exports.views[0].type", "counter",
                        "exports.views[0].perCpus", "sum"), "perCpus"),
                Arguments.of(Map.of("exports.maxSeries", 0), "maxSeries"));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("badValues")
    void refusesValuesTheSchemaForbids(Map<String, Object> sets, String named) {
        assertThatThrownBy(() -> HelmChart.render(sets))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }
}
