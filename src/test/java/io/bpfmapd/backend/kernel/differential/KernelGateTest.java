package io.bpfmapd.backend.kernel.differential;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CI runs the differential properties harder than a workstation does, and never below its floor. */
class KernelGateTest {

    @Test
    void ciRunsMoreTriesThanAWorkstationByDefault() {
        assertThat(KernelGate.tries(true, null)).isGreaterThan(KernelGate.tries(false, null));
    }

    @Test
    void aRequestedCountIsTakenLocallyButCannotLowerCi() {
        assertThat(KernelGate.tries(false, 50)).isEqualTo(50);
        assertThat(KernelGate.tries(false, 5000)).isEqualTo(5000);
        assertThat(KernelGate.tries(true, 50)).isEqualTo(KernelGate.CI_TRIES);
        assertThat(KernelGate.tries(true, 5000)).isEqualTo(5000);
    }
}
