package io.bpfmapd.reliability;

import io.bpfmapd.backend.kernel.RequiresKernel;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The stress run on the real kernel; {@link RequiresKernel} fails the class if it leaves more BPF file
 * descriptors or mappings behind than it found.
 */
@RequiresKernel
@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logging.level.bpfmapd.audit=WARN", "logging.level.io.bpfmapd=WARN"})
class KernelStressTest extends AbstractStressTest {

    @Override
    String backend() {
        return "KERNEL";
    }

    @Override
    void assertBackendHoldsNothing() {
        // checked by RequiresKernel after the class: BPF fds and map mappings back to where they were
    }
}
