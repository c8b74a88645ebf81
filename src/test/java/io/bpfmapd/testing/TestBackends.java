package io.bpfmapd.testing;

import io.bpfmapd.backend.BpfBackend;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The fake backend as the one backend of a whole application context. */
@TestConfiguration(proxyBeanMethods = false)
public class TestBackends {

    @Bean
    BpfBackend emulated() {
        return FakeBackend.emulated();
    }
}
