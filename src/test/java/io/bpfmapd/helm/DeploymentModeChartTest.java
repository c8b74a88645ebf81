package io.bpfmapd.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.bpfmapd.testing.ImageJavaOpts;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default mode: the emulated backend in a Deployment, with no host access at all. */
class DeploymentModeChartTest {

    /** The least an install needs: the defaults and the Secret that holds the tokens file. */
    private static final Map<String, Object> WITH_TOKENS = Map.of("tokens.existingSecret", "bpfmapd-tokens");

    private final Manifests manifests = HelmChart.render(WITH_TOKENS);

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
        assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactlyInAnyOrder("config", "tmp", "data", "tokens");
        assertThat(manifests.container().getVolumeMounts())
                .extracting(VolumeMount::getName, VolumeMount::getMountPath)
                .containsExactlyInAnyOrder(
                        tuple("config", "/etc/bpfmapd/config"),
                        tuple("tmp", "/tmp"),
                        tuple("data", "/var/lib/bpfmapd"),
                        tuple("tokens", "/etc/bpfmapd/secrets"));
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

    /**
     * The chart sets JAVA_OPTS, which replaces the image's: the two must be the same, or the pod runs
     * without Spring AOT (and with a JDK cache trained for another mode) or without the heap trim.
     */
    @Test
    void runsTheJvmWithTheImagesOptions() {
        String imageOptions = ImageJavaOpts.value();
        assertThat(manifests.container().getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("JAVA_OPTS");
            assertThat(env.getValue()).isEqualTo(imageOptions);
        });
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
        assertThat(config.at("/server/address").asString()).as("reached through the Service").isEqualTo("0.0.0.0");
        assertThat(config.at("/bpfmapd/emulated/data-dir").asString()).isEqualTo("/var/lib/bpfmapd");
        assertThat(config.at("/bpfmapd/backend/default").asString()).isEqualTo("EMULATED");
        assertThat(config.at("/bpfmapd/kernel/enabled").asBoolean()).as("no host access, no kernel probe").isFalse();
        assertThat(config.at("/bpfmapd/security/tokens-file").asString()).isEqualTo("/etc/bpfmapd/secrets/tokens");
        assertThat(config.at("/bpfmapd/security/allow-open").isMissingNode()).isTrue();
        assertThat(manifests.podTemplate().getMetadata().getAnnotations()).containsKey("checksum/config");
    }

    @Test
    void valuesConfigIsMergedIntoTheApplicationYamlAndChangesThePodChecksum() {
        var custom = HelmChart.render(Map.of("config.bpfmapd.sessions.max-ttl", "10m", "containerPort", 9090,
                "tokens.existingSecret", "bpfmapd-tokens"));
        var config = custom.applicationYaml();
        assertThat(config.at("/bpfmapd/sessions/max-ttl").asString()).isEqualTo("10m");
        assertThat(config.at("/bpfmapd/emulated/data-dir").asString()).isEqualTo("/var/lib/bpfmapd");
        assertThat(config.at("/server/port").asInt()).isEqualTo(9090);
        assertThat(custom.container().getPorts().getFirst().getContainerPort()).isEqualTo(9090);
        assertThat(custom.podTemplate().getMetadata().getAnnotations().get("checksum/config"))
                .isNotEqualTo(manifests.podTemplate().getMetadata().getAnnotations().get("checksum/config"));
    }

    @Test
    void exportsValuesBecomeTheServicesMetricViews() {
        var sets = new java.util.LinkedHashMap<String, Object>(Map.of("tokens.allowOpen", true, "exports.maxSeries", 1000));
        sets.putAll(Map.of("exports.views[0].name", "syscalls", "exports.views[0].map", "agent/*_counts",
                "exports.views[0].metric", "agent_syscalls", "exports.views[0].type", "counter",
                "exports.views[0].indexLabel", "syscall", "exports.views[0].indexNames[0]", "read",
                "exports.views[0].constLabels.team", "net", "exports.views[0].perCpu", "max"));
        sets.putAll(Map.of("exports.views[1].name", "latency", "exports.views[1].map", "agent/lat",
                "exports.views[1].metric", "agent_latency", "exports.views[1].type", "histogram",
                "exports.views[1].buckets.type", "exp2", "exports.views[1].buckets.count", 64));
        var withViews = HelmChart.render(sets);
        var exports = withViews.applicationYaml().at("/bpfmapd/exports");
        assertThat(exports.at("/max-series").asInt()).isEqualTo(1000);
        assertThat(exports.at("/views").size()).isEqualTo(2);
        var syscalls = exports.at("/views/0");
        assertThat(syscalls.at("/name").asString()).isEqualTo("syscalls");
        assertThat(syscalls.at("/map").asString()).isEqualTo("agent/*_counts");
        assertThat(syscalls.at("/metric").asString()).isEqualTo("agent_syscalls");
        assertThat(syscalls.at("/type").asString()).isEqualTo("counter");
        assertThat(syscalls.at("/indexLabel").asString()).isEqualTo("syscall");
        assertThat(syscalls.at("/indexNames/0").asString()).isEqualTo("read");
        assertThat(syscalls.at("/constLabels/team").asString()).isEqualTo("net");
        assertThat(syscalls.at("/perCpu").asString()).isEqualTo("max");
        assertThat(exports.at("/views/1/buckets/type").asString()).isEqualTo("exp2");
        assertThat(exports.at("/views/1/buckets/count").asInt()).isEqualTo(64);
        assertThat(withViews.podTemplate().getMetadata().getAnnotations().get("checksum/config"))
                .as("a new view restarts the pods").isNotEqualTo(manifests.podTemplate().getMetadata().getAnnotations().get("checksum/config"));
        assertThat(manifests.applicationYaml().at("/bpfmapd/exports").isMissingNode())
                .as("no views, no max-series: the service's defaults").isTrue();
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

    @Test
    void refusesToRenderWithoutTokensUnlessAnOpenServiceIsAskedFor() {
        assertThatThrownBy(HelmChart::render).hasMessageContaining("no API tokens configured");
        var open = HelmChart.render(Map.of("tokens.allowOpen", true));
        assertThat(open.applicationYaml().at("/bpfmapd/security/allow-open").asBoolean()).isTrue();
        assertThat(open.podTemplate().getSpec().getVolumes()).extracting(Volume::getName).doesNotContain("tokens");
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }
}
