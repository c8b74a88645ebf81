package io.bpfmapd.e2e;

import io.bpfmapd.testing.TestBackends;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"bpfmapd.sessions.sweep-interval=100ms", "bpfmapd.emulated.data-dir=target/e2e-data"})
@Import(TestBackends.class)
class EmulatedMapLifecycleTest extends AbstractMapLifecycleTest {

    @Override
    String backend() {
        return "EMULATED";
    }
}
