package io.bpfmapd.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The gate of every kernel, Docker and tool test: fail in CI, skip elsewhere, always with the reason. */
class RequirementTest {

    private static final String EPERM = "BPF_MAP_CREATE failed with EPERM (1): run as root";

    @Test
    void inCiWhatIsMissingFailsTheTest() {
        assertThatThrownBy(() -> Requirement.require("kernel backend", false, EPERM, true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("kernel backend").hasMessageContaining("EPERM").hasMessageContaining("CI=true");
    }

    @Test
    void elsewhereWhatIsMissingSkipsTheTestWithTheReason() {
        assertThatThrownBy(() -> Requirement.require("kernel backend", false, EPERM, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("kernel backend").hasMessageContaining("EPERM");
    }

    @Test
    void whatIsThereLetsTheTestRunInCiAndElsewhere() {
        assertThatCode(() -> Requirement.require("busybox", true, "not installed", true)).doesNotThrowAnyException();
        assertThatCode(() -> Requirement.require("busybox", true, "not installed", false)).doesNotThrowAnyException();
    }
}
