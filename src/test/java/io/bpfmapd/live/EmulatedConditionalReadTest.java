package io.bpfmapd.live;

import io.bpfmapd.testing.TemporaryDataDir;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

@AutoConfigureMetrics
@TemporaryDataDir(shared = "live-emulated")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {StreamTestProperties.HEARTBEAT, StreamTestProperties.LIMIT})
class EmulatedConditionalReadTest extends AbstractConditionalReadTest {

    @Override
    String backend() {
        return "EMULATED";
    }
}
