package io.bpfmapd.config;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.TemporaryDataDir;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;


import static org.assertj.core.api.Assertions.assertThat;

/** Requests are measured once, as HTTP server requests, not again filter by filter by Spring Security. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TemporaryDataDir(shared = "bench-smoke")
class ObservationConfigurationTest {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Test
    void requestsAreTimedWithoutSpringSecurityObservations() throws Exception {
        for (String path : new String[] {"/actuator/info", "/api/v1/maps"}) {
            assertThat(ApiClient.at(port).get(path).status()).as(path).isEqualTo(200);
        }

        assertThat(meters.getMeters()).extracting(m -> m.getId().getName())
                .contains("http.server.requests")
                .noneMatch(name -> name.startsWith("spring.security."));
    }
}
