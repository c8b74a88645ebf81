package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.Availability;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BackendUnavailableException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the probe failed, every operation says why instead of crashing; runs on any machine. */
class KernelBackendUnavailableTest {

    private final KernelBackend backend = new KernelBackend(Availability.unavailable("not Linux (os.name=Plan 9)"));

    @Test
    void reportsTheProbesAnswer() {
        assertThat(backend.kind()).isEqualTo(BackendKind.KERNEL);
        assertThat(backend.availability().available()).isFalse();
        assertThat(backend.availability().reason()).contains("Plan 9");
    }

    @Test
    void everyOperationThrowsBackendUnavailableWithTheReason() {
        assertThatThrownBy(() -> backend.create(KernelSpecs.mmapable(8, 4)))
                .isInstanceOfSatisfying(BackendUnavailableException.class, e -> {
                    assertThat(e.backend()).isEqualTo(BackendKind.KERNEL);
                    assertThat(e.getMessage()).contains("Plan 9");
                });
        assertThatThrownBy(() -> backend.open(Path.of("/sys/fs/bpf/x")))
                .isInstanceOf(BackendUnavailableException.class);
        backend.close();
    }

    @Test
    void aDisabledBackendRefusesEveryOperationWithItsOwnReason() {
        KernelBackend disabled = KernelBackend.disabled("disabled by bpfmapd.kernel.enabled=false");

        assertThat(disabled.availability()).isEqualTo(Availability.unavailable("disabled by bpfmapd.kernel.enabled=false"));
        assertThatThrownBy(() -> disabled.create(KernelSpecs.mmapable(8, 4)))
                .isInstanceOfSatisfying(BackendUnavailableException.class, e -> {
                    assertThat(e.backend()).isEqualTo(BackendKind.KERNEL);
                    assertThat(e.getMessage()).contains("bpfmapd.kernel.enabled=false");
                });
        assertThat(disabled.openMapCount()).isZero();
        disabled.close();
    }

    @Test
    void theProbeAnswersOnThisMachineWithAReason() {
        Availability probe = KernelProbe.run();
        assertThat(probe.reason()).isNotBlank();
    }
}
