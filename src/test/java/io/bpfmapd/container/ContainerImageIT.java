package io.bpfmapd.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/** The image itself: it starts hardened, becomes ready, runs as non-root, and its HEALTHCHECK works. */
class ContainerImageIT {

    private static BpfmapdContainer container;

    @BeforeAll
    static void start() {
        DockerRequirement.require();
        container = new BpfmapdContainer()
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withMemory(768L * 1024 * 1024));
        container.start();
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.stop();
        }
    }

    @Test
    void becomesReadyAndLiveOnTheActuatorHealthGroups() {
        var api = container.api();
        assertThat(api.get("/actuator/health/readiness").json().get("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/health/liveness").json().get("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/prometheus", "text/plain").body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void runsTheSpringAotCodeWithTheJdkAotCache() {
        // Spring's StartupInfoLogger says "AOT-processed" only when the generated initializer is used;
        // the JVM logs a cache it cannot use as [warning][aot] or [error][aot] lines.
        assertThat(container.getLogs()).contains("Starting AOT-processed BpfmapdApplication")
                .doesNotContainPattern("\\[(warning|error) *\\]\\[aot");
    }

    @Test
    void theApiWantsTheBearerTokenFromTheMountedTokensFile() {
        var anonymous = container.api().as("not-a-token").get("/api/v1/maps");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(container.api().get("/api/v1/maps").status()).isEqualTo(200);
    }

    @Test
    void withoutTokensTheImageRefusesToServeTheNetworkOpen() {
        // SERVER_ADDRESS=0.0.0.0 in the image: open mode would make anyone who reaches the port admin.
        var logs = new ToStringConsumer();
        try (var open = new GenericContainer<>(DockerImageName.parse(BpfmapdImage.get()))
                .withLogConsumer(logs)
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(90)))) {
            assertThatThrownBy(open::start).isInstanceOf(org.testcontainers.containers.ContainerLaunchException.class);
        }
        assertThat(logs.toUtf8String()).contains("Refusing to start: no bearer token is configured");
    }

    @Test
    void runsAsTheNonRootUserWithNoCapabilities() throws Exception {
        var id = container.execInContainer("id", "-u");
        assertThat(id.getStdout().strip()).isEqualTo("10001");
        // CapEff of the JVM (PID 1): nothing, with --cap-drop ALL and a non-root user.
        var status = container.execInContainer("grep", "CapEff", "/proc/1/status");
        assertThat(status.getStdout()).contains("0000000000000000");
    }

    @Test
    void sizesTheHeapFromTheContainersMemoryLimit() throws Exception {
        var flags = container.execInContainer("sh", "-c",
                "java $JAVA_OPTS -XX:+PrintFlagsFinal -version 2>/dev/null | grep -w MaxHeapSize");
        long maxHeap = Long.parseLong(flags.getStdout().trim().split("\\s+")[3]);
        assertThat(maxHeap).as("75% of the 768 MiB limit, not of the host's memory")
                .isLessThanOrEqualTo(768L * 1024 * 1024 * 3 / 4).isGreaterThan(256L * 1024 * 1024);
    }

    @Test
    void healthcheckScriptPassesWhenReadyAndFailsOnAnotherAnswer() throws Exception {
        assertThat(container.execInContainer("/usr/local/bin/bpfmapd-healthcheck").getExitCode()).isZero();
        var notFound = container.execInContainer("sh", "-c",
                "BPFMAPD_HEALTH_URL=http://127.0.0.1:8080/actuator/health/nothing-here /usr/local/bin/bpfmapd-healthcheck");
        assertThat(notFound.getExitCode()).isNotZero();
    }

    @Test
    void dockerReportsTheContainerHealthyThroughTheImagesHealthcheck() {
        var docker = DockerClientFactory.lazyClient();
        var config = docker.inspectImageCmd(BpfmapdImage.NAME).exec().getConfig().getHealthcheck();
        assertThat(config.getTest()).containsExactly("CMD", "/usr/local/bin/bpfmapd-healthcheck");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(docker.inspectContainerCmd(container.getContainerId()).exec().getState().getHealth().getStatus())
                        .isEqualTo("healthy"));
    }
}
