package io.bpfmapd.live;

import io.bpfmapd.backend.kernel.RequiresKernel;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

/** The same conditional reads on the real kernel's maps: fails in CI where the kernel backend is missing, skips elsewhere. */
@RequiresKernel
@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {StreamTestProperties.HEARTBEAT, StreamTestProperties.LIMIT,
                "bpfmapd.emulated.data-dir=target/live-kernel-data"})
class KernelConditionalReadTest extends AbstractConditionalReadTest {

    @Override
    String backend() {
        return "KERNEL";
    }
}
