package io.bpfmapd.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The documented sidecar example is a valid pod that gives bpfmapd what the DaemonSet mode gives it. */
class SidecarExampleTest {

    @Test
    void sidecarSharesTheAgentsBpffsWithLeastPrivilege() throws Exception {
        Pod pod = new YAMLMapper().readValue(
                Files.readString(HelmChart.EXAMPLES.resolve("sidecar-pod.yaml")), Pod.class);
        Container sidecar = pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("bpfmapd")).findFirst().orElseThrow();
        Container agent = pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("agent")).findFirst().orElseThrow();

        String bpffsVolume = pod.getSpec().getVolumes().stream()
                .filter(v -> v.getHostPath() != null && v.getHostPath().getPath().equals("/sys/fs/bpf"))
                .map(Volume::getName).findFirst().orElseThrow();
        assertThat(agent.getVolumeMounts()).anySatisfy(m -> assertThat(m.getName()).isEqualTo(bpffsVolume));
        assertThat(sidecar.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo(bpffsVolume);
            assertThat(m.getMountPath()).isEqualTo("/sys/fs/bpf");
        });
        assertThat(sidecar.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));

        // the image listens on all interfaces and refuses to start without tokens
        String tokensVolume = pod.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null)
                .map(Volume::getName).findFirst().orElseThrow();
        var tokensMount = sidecar.getVolumeMounts().stream().filter(m -> m.getName().equals(tokensVolume))
                .findFirst().orElseThrow();
        assertThat(sidecar.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("BPFMAPD_SECURITY_TOKENSFILE");
            assertThat(env.getValue()).startsWith(tokensMount.getMountPath() + "/");
        });

        var security = sidecar.getSecurityContext();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).containsExactly("BPF");
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getRunAsUser()).isZero();

        String port = sidecar.getPorts().getFirst().getName();
        assertThat(sidecar.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(sidecar.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(port);
        assertThat(sidecar.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(sidecar.getStartupProbe()).isNotNull();
    }
}
