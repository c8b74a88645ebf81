package io.bpfmapd.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict} of each mode, and of values the schema refuses. */
class ChartLintTest {

    @Test
    void daemonSetModeLintsCleanly() {
        var result = HelmChart.lint(HelmChart.EXAMPLES.resolve("daemonset-values.yaml"));
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void deploymentModeLintsCleanly() {
        var result = HelmChart.lint(HelmChart.EXAMPLES.resolve("deployment-values.yaml"));
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void badValuesFailLint(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        java.nio.file.Files.writeString(bad, "mode: daemonset\nkernel:\n  capabilities: [NET_RAW]\n");
        var result = HelmChart.lint(bad);
        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("capabilities");
    }
}
