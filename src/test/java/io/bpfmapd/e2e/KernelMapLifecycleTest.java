package io.bpfmapd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.kernel.BpfResources;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.testing.TemporaryDataDir;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

/** The same life of a map, in the real kernel: fails in CI where the kernel backend is missing, skips elsewhere. */
@RequiresKernel
@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "bpfmapd.sessions.sweep-interval=100ms")
@TemporaryDataDir(shared = "e2e")
class KernelMapLifecycleTest extends AbstractMapLifecycleTest {

    private BpfResources before;

    @BeforeEach
    void countBpfResources() {
        before = BpfResources.snapshot();
    }

    @Override
    String backend() {
        return "KERNEL";
    }

    @Override
    void assertBackendHoldsNothing() {
        // Every fd the service opened (its map handles) and every mmap of a session is gone again.
        BpfResources after = BpfResources.snapshot();
        assertThat(after.bpfFds()).as("BPF fds, before: %s", before).isLessThanOrEqualTo(before.bpfFds());
        assertThat(after.bpfMappings()).as("BPF mappings, before: %s", before).isLessThanOrEqualTo(before.bpfMappings());
    }
}
