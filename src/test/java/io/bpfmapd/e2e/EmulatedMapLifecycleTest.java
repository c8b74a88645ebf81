package io.bpfmapd.e2e;

import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.testing.FakeBackend;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"bpfmapd.sessions.sweep-interval=100ms", "bpfmapd.emulated.data-dir=target/e2e-data"})
class EmulatedMapLifecycleTest extends AbstractMapLifecycleTest {

    @Override
    String backend() {
        return "EMULATED";
    }

    @TestConfiguration
    static class Backends {
        @Bean
        BpfBackend emulated() {
            return FakeBackend.emulated();
        }
    }
}
