package io.bpfmapd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.emulated.EmulatedBackend;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

/** format=typed on the emulated backend. */
@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"bpfmapd.sessions.sweep-interval=100ms", "bpfmapd.emulated.data-dir=target/e2e-data"})
class EmulatedTypedValuesTest extends AbstractTypedValuesTest {

    @Autowired
    EmulatedBackend emulated;

    @Override
    String backend() {
        return "EMULATED";
    }

    @Override
    void assertBackendHoldsNothing() {
        assertThat(emulated.liveMapCount()).isZero();
    }
}
