package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.Availability;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gate of {@link RequiresKernel}: fail in CI, skip elsewhere, always with the probe's reason. */
class KernelAvailableExtensionTest {

    private static final Availability MISSING = Availability.unavailable("BPF_MAP_CREATE failed with EPERM (1): run as root");

    @Test
    void inCiAMissingKernelFailsTheTest() {
        assertThatThrownBy(() -> KernelAvailableExtension.gate(MISSING, true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("EPERM").hasMessageContaining("CI=true");
    }

    @Test
    void elsewhereAMissingKernelSkipsTheTestWithTheReason() {
        assertThatThrownBy(() -> KernelAvailableExtension.gate(MISSING, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("EPERM");
    }

    @Test
    void anAvailableKernelLetsTheTestRun() {
        assertThatCode(() -> KernelAvailableExtension.gate(Availability.ok("fine"), true)).doesNotThrowAnyException();
    }
}
