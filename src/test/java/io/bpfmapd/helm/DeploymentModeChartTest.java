package io.bpfmapd.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default mode: the emulated backend in a Deployment, with no host access at all. */
class DeploymentModeChartTest {

    private final Manifests manifests = HelmChart.render();

    @Test
    void rendersADeploymentAndNoDaemonSet() {
        assertThat(manifests.kinds())
                .contains("Deployment", "Service", "ConfigMap", "ServiceAccount")
                .doesNotContain("DaemonSet", "PersistentVolumeClaim", "Secret", "ServiceMonitor");
        assertThat(manifests.deployment().getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void runsAsTheImagesNonRootUserWithEveryCapabilityDroppedAndAReadOnlyRoot() {
        var pod = manifests.podTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();

        var security = manifests.container().getSecurityContext();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    }

    @Test
    void mountsNothingFromTheHostButGivesTheJvmAWritableTmpAndADataDir() {
        var pod = manifests.podTemplate().getSpec();
        assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
        assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactlyInAnyOrder("config", "tmp", "data");
        assertThat(manifests.container().getVolumeMounts())
                .extracting(VolumeMount::getName, VolumeMount::getMountPath)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("config", "/etc/bpfmapd/config"),
                        org.assertj.core.groups.Tuple.tuple("tmp", "/tmp"),
                        org.assertj.core.groups.Tuple.tuple("data", "/var/lib/bpfmapd"));
    }

    @Test
    void probesTheActuatorHealthGroupsOnTheNamedPort() {
        Container container = manifests.container();
        assertThat(container.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8080);
        });
        assertProbe(container.getStartupProbe(), "/actuator/health/liveness");
        assertProbe(container.getLivenessProbe(), "/actuator/health/liveness");
        assertProbe(container.getReadinessProbe(), "/actuator/health/readiness");
        assertThat(container.getStartupProbe().getFailureThreshold() * container.getStartupProbe().getPeriodSeconds())
                .as("seconds the JVM gets to start before liveness counts").isGreaterThanOrEqualTo(60);
    }

    @Test
    void serviceAndWorkloadSelectTheLabelsThePodCarries() {
        Map<String, String> podLabels = manifests.podTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(manifests.workloadSelector());
        assertThat(podLabels).containsAllEntriesOf(manifests.service().getSpec().getSelector());
        assertThat(manifests.service().getSpec().getSelector()).isNotEmpty();
        assertThat(manifests.service().getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
            assertThat(port.getPort()).isEqualTo(8080);
        });
        assertThat(manifests.service().getSpec().getInternalTrafficPolicy()).isEqualTo("Cluster");
    }

    @Test
    void readsItsConfigurationFromTheRenderedApplicationYaml() {
        Container container = manifests.container();
        assertThat(container.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("SPRING_CONFIG_ADDITIONAL_LOCATION");
            assertThat(env.getValue()).isEqualTo("file:/etc/bpfmapd/config/");
        });
        var config = manifests.applicationYaml();
        assertThat(config.at("/server/port").asInt()).isEqualTo(8080);
        assertThat(config.at("/bpfmapd/emulated/data-dir").asString()).isEqualTo("/var/lib/bpfmapd");
        assertThat(config.at("/bpfmapd/kernel").isMissingNode()).isTrue();
        assertThat(manifests.podTemplate().getMetadata().getAnnotations()).containsKey("checksum/config");
    }

    @Test
    void valuesConfigIsMergedIntoTheApplicationYamlAndChangesThePodChecksum() {
        var custom = HelmChart.render(Map.of("config.bpfmapd.sessions.max-ttl", "10m", "containerPort", 9090));
        var config = custom.applicationYaml();
        assertThat(config.at("/bpfmapd/sessions/max-ttl").asString()).isEqualTo("10m");
        assertThat(config.at("/bpfmapd/emulated/data-dir").asString()).isEqualTo("/var/lib/bpfmapd");
        assertThat(config.at("/server/port").asInt()).isEqualTo(9090);
        assertThat(custom.container().getPorts().getFirst().getContainerPort()).isEqualTo(9090);
        assertThat(custom.podTemplate().getMetadata().getAnnotations().get("checksum/config"))
                .isNotEqualTo(manifests.podTemplate().getMetadata().getAnnotations().get("checksum/config"));
    }

    @Test
    void persistenceExampleClaimsAVolumeForTheDataDirAndRecreatesInsteadOfRolling() {
        var persistent = HelmChart.render(HelmChart.EXAMPLES.resolve("deployment-values.yaml"));
        var claim = persistent.one("PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class);
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("2Gi");
        assertThat(persistent.podTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getName().equals("data")).singleElement()
                .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo(claim.getMetadata().getName()));
        assertThat(persistent.deployment().getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(persistent.container().getImage()).isEqualTo("registry.example.com/bpfmapd:0.1.0");
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }
}
