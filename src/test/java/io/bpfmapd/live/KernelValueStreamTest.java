package io.bpfmapd.live;

import io.bpfmapd.testing.TemporaryDataDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

/** The same streams over the real kernel's maps: fails in CI where the kernel backend is missing, skips elsewhere. */
@RequiresKernel
@AutoConfigureMetrics
@TemporaryDataDir(shared = "live-kernel")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {StreamTestProperties.HEARTBEAT, StreamTestProperties.LIMIT})
class KernelValueStreamTest extends AbstractValueStreamTest {

    @Override
    String backend() {
        return "KERNEL";
    }
}
