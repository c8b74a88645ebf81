package io.bpfmapd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.testing.TemporaryDataDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "bpfmapd.sessions.sweep-interval=100ms")
@TemporaryDataDir(shared = "e2e")
class EmulatedMapLifecycleTest extends AbstractMapLifecycleTest {

    @Autowired
    EmulatedBackend emulated;

    @Override
    String backend() {
        return "EMULATED";
    }

    @Override
    void assertBackendHoldsNothing() {
        // A map lives while its handle or a mapping holds it (the kernel's refcounts).
        assertThat(emulated.liveMapCount()).isZero();
    }
}
