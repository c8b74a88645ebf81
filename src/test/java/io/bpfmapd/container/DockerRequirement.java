package io.bpfmapd.container;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.testcontainers.DockerClientFactory;

/** Image tests need a Docker engine: in CI its absence fails them, elsewhere it skips them. */
final class DockerRequirement {

    private DockerRequirement() {
    }

    static void require() {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return;
        }
        String reason = "no Docker engine answers (start dockerd, see .ci/run)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + "; image tests must run in CI");
        }
        assumeTrue(false, reason);
    }
}
