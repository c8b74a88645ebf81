package io.bpfmapd.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kernel.watch and kernel.noCapabilities: pins followed while the pod runs, and a pod that reads an
 * agent's group- or world-readable pins as a non-root user with no capability at all.
 */
class NoCapabilitySidecarChartTest {

    private static final Map<String, Object> NO_CAPS = Map.of(
            "kernel.noCapabilities.enabled", true,
            "kernel.noCapabilities.runAsGroup", 2000,
            "kernel.watch.globs[0]", "agent/**",
            "kernel.watch.interval", "5s");

    private final Manifests manifests = HelmChart.render(NO_CAPS, HelmChart.EXAMPLES.resolve("daemonset-values.yaml"));

    @Test
    void runsAsANonRootUserWithEveryCapabilityDroppedAndNoneAdded() {
        var pod = manifests.podTemplate().getSpec().getSecurityContext();
        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(pod.getRunAsUser()).isEqualTo(65534L);
        assertThat(pod.getRunAsGroup()).as("the group the agent's pins are readable by").isEqualTo(2000L);
        var container = manifests.container().getSecurityContext();
        assertThat(container.getRunAsNonRoot()).isTrue();
        assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    }

    @Test
    void mountsTheBpffsReadOnlyAndImportsReadOnly() {
        VolumeMount bpffs = manifests.container().getVolumeMounts().stream()
                .filter(m -> m.getName().equals("bpffs")).findFirst().orElseThrow();
        assertThat(bpffs.getReadOnly()).isTrue();
        assertThat(bpffs.getMountPropagation()).as("pins made after the start still show").isEqualTo("HostToContainer");
        var config = manifests.applicationYaml();
        assertThat(config.at("/bpfmapd/kernel/import-access").asString()).isEqualTo("READ_ONLY");
        // It cannot create kernel maps, so readiness must not wait for a kernel backend that can.
        assertThat(config.at("/bpfmapd/backend/default").asString()).isEqualTo("EMULATED");
        assertThat(config.at("/bpfmapd/kernel/enabled").asBoolean()).isTrue();
    }

    @Test
    void theWatchedGlobsAndIntervalReachTheApplicationYaml() {
        var config = manifests.applicationYaml();
        assertThat(config.at("/bpfmapd/kernel/watch").valueStream().map(n -> n.asString()).toList())
                .containsExactly("agent/**");
        assertThat(config.at("/bpfmapd/kernel/watch-interval").asString()).isEqualTo("5s");
    }

    @Test
    void withoutItTheDaemonSetKeepsUidZeroCapBpfAndReadWriteImports() {
        var plain = HelmChart.render(Map.of(), HelmChart.EXAMPLES.resolve("daemonset-values.yaml"));
        assertThat(plain.podTemplate().getSpec().getSecurityContext().getRunAsUser()).isZero();
        assertThat(plain.container().getSecurityContext().getCapabilities().getAdd()).containsExactly("BPF");
        assertThat(plain.applicationYaml().at("/bpfmapd/kernel/import-access").isMissingNode()).isTrue();
        assertThat(plain.applicationYaml().at("/bpfmapd/kernel/watch").valueStream().toList()).isEmpty();
        assertThat(plain.applicationYaml().at("/bpfmapd/kernel/watch-interval").asString()).isEqualTo("2s");
    }

    @Test
    void deploymentModeIgnoresIt() {
        var deployment = HelmChart.render(Map.of("kernel.noCapabilities.enabled", true),
                HelmChart.EXAMPLES.resolve("deployment-values.yaml"));
        assertThat(deployment.applicationYaml().at("/bpfmapd/kernel/import-access").isMissingNode()).isTrue();
        assertThat(deployment.podTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    }
}
