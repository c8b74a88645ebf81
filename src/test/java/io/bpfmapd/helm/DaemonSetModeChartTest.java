package io.bpfmapd.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Node telemetry: one pod per node with the host's bpffs, the kernel backend and least privilege. */
class DaemonSetModeChartTest {

    private final Manifests manifests = HelmChart.render(HelmChart.EXAMPLES.resolve("daemonset-values.yaml"));

    @Test
    void rendersADaemonSetAndNoDeployment() {
        assertThat(manifests.kinds()).contains("DaemonSet", "Service", "ConfigMap").doesNotContain("Deployment");
        assertThat(manifests.daemonSet().getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(manifests.podTemplate().getSpec().getTolerations()).singleElement()
                .satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
    }

    @Test
    void mountsTheHostsBpffsDirectoryAtTheSamePath() {
        var pod = manifests.podTemplate().getSpec();
        Volume bpffs = pod.getVolumes().stream().filter(v -> v.getName().equals("bpffs")).findFirst().orElseThrow();
        assertThat(bpffs.getHostPath().getPath()).isEqualTo("/sys/fs/bpf");
        assertThat(bpffs.getHostPath().getType()).isEqualTo("Directory");
        VolumeMount mount = manifests.container().getVolumeMounts().stream()
                .filter(m -> m.getName().equals("bpffs")).findFirst().orElseThrow();
        assertThat(mount.getMountPath()).isEqualTo("/sys/fs/bpf");
        assertThat(mount.getMountPropagation()).isEqualTo("HostToContainer");
        assertThat(mount.getReadOnly()).as("imported maps are written through sessions").isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void keepsItsPinStateOnTheNodeWhenAskedAndInThePodOtherwise() {
        Volume data = manifests.podTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("data")).findFirst().orElseThrow();
        assertThat(data.getHostPath().getPath()).isEqualTo("/var/lib/bpfmapd");
        assertThat(data.getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        var podScoped = HelmChart.render(Map.of("kernel.stateHostPath", ""), HelmChart.EXAMPLES.resolve("daemonset-values.yaml"));
        assertThat(podScoped.podTemplate().getSpec().getVolumes()).filteredOn(v -> v.getName().equals("data"))
                .singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    }

    @Test
    void runsAsUidZeroWithOnlyCapBpfAdded() {
        // Added capabilities reach only uid 0 (no ambient capabilities), and pinned maps are 0600 root.
        var pod = manifests.podTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsUser()).isZero();
        var security = manifests.container().getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).containsExactly("BPF");
        assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    }

    @Test
    void capabilitiesFollowTheValuesForRuntimesWithoutCapBpf() {
        var legacy = HelmChart.render(Map.of("kernel.capabilities[0]", "SYS_ADMIN"),
                HelmChart.EXAMPLES.resolve("daemonset-values.yaml"));
        assertThat(legacy.container().getSecurityContext().getCapabilities().getAdd()).containsExactly("SYS_ADMIN");
    }

    @Test
    void theMapsToImportAndTheBpffsRootReachTheApplicationYaml() {
        var config = manifests.applicationYaml();
        assertThat(config.at("/bpfmapd/backend/default").asString()).isEqualTo("KERNEL");
        assertThat(config.at("/bpfmapd/kernel/enabled").asBoolean()).isTrue();
        assertThat(config.at("/bpfmapd/kernel/bpffs-root").asString()).isEqualTo("/sys/fs/bpf");
        assertThat(config.at("/bpfmapd/kernel/imports").valueStream().map(n -> n.asString()).toList())
                .containsExactly("/sys/fs/bpf/agent/counters", "/sys/fs/bpf/agent/config");
    }

    @Test
    void theServiceKeepsTrafficOnTheNodeAndSelectsThePods() {
        var service = manifests.service().getSpec();
        assertThat(service.getInternalTrafficPolicy()).isEqualTo("Local");
        assertThat(manifests.podTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSelector())
                .containsAllEntriesOf(manifests.workloadSelector());
    }

    @Test
    void tokensComeFromTheExistingSecretMountedAsAFile() {
        var pod = manifests.podTemplate().getSpec();
        Volume tokens = pod.getVolumes().stream().filter(v -> v.getName().equals("tokens")).findFirst().orElseThrow();
        assertThat(tokens.getSecret().getSecretName()).isEqualTo("bpfmapd-tokens");
        assertThat(tokens.getSecret().getDefaultMode()).isEqualTo(0440);  // octal: owner and fsGroup read
        assertThat(manifests.container().getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("tokens");
            assertThat(m.getMountPath()).isEqualTo("/etc/bpfmapd/secrets");
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(manifests.applicationYaml().at("/bpfmapd/security/tokens-file").asString())
                .isEqualTo("/etc/bpfmapd/secrets/tokens");
        assertThat(manifests.kinds()).as("an existing Secret is not rendered").doesNotContain("Secret");
    }
}
