package io.bpfmapd.live;

import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {StreamTestProperties.HEARTBEAT, StreamTestProperties.LIMIT,
                "bpfmapd.emulated.data-dir=target/live-emulated-data"})
class EmulatedValueStreamTest extends AbstractValueStreamTest {

    @Override
    String backend() {
        return "EMULATED";
    }
}
