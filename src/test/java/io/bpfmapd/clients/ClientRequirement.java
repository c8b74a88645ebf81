package io.bpfmapd.clients;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The client tests need the generator jar and Node: in CI their absence fails the tests, elsewhere it skips them. */
final class ClientRequirement {

    private ClientRequirement() {
    }

    static void require(boolean present, String reason) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + "; the generated-client tests must run in CI (.ci/run installs what they need)");
        }
        assumeTrue(false, reason);
    }
}
