package io.bpfmapd.container;

import io.bpfmapd.testing.Requirement;
import org.testcontainers.DockerClientFactory;

/** Image tests need a Docker engine: a {@link Requirement}, so CI fails without one and elsewhere they skip. */
final class DockerRequirement {

    private DockerRequirement() {
    }

    static void require() {
        Requirement.require("Docker", DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine answers (start dockerd, see .ci/run)");
    }
}
