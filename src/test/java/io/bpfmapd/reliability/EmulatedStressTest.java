package io.bpfmapd.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.emulated.EmulatedBackend;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"bpfmapd.kernel.enabled=false",
        "logging.level.bpfmapd.audit=WARN", "logging.level.io.bpfmapd=WARN"})
class EmulatedStressTest extends AbstractStressTest {

    @Autowired
    EmulatedBackend emulated;

    @Override
    String backend() {
        return "EMULATED";
    }

    @Override
    void assertBackendHoldsNothing() {
        assertThat(emulated.liveMapCount()).as("emulated maps still alive").isZero();
    }
}
