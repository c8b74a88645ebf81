package io.bpfmapd.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.TemporaryDataDir;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A backend that does not work here is reported, not fatal: health shows it with its reason, the
 * service stays UP, and a request for it is a 503 problem. Only when it is the default backend is the
 * service not ready. The kernel backend switched off by {@code bpfmapd.kernel.enabled=false} is one
 * (a kernel without BPF is another, with the probe's reason: {@code KernelBackendUnavailableTest}).
 */
class UnavailableBackendTest {

    static final String REASON = "disabled by bpfmapd.kernel.enabled=false";

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = "bpfmapd.kernel.enabled=false")
    @TemporaryDataDir
    class WhenItIsNotTheDefault {

        @LocalServerPort
        int port;

        @Test
        void healthReportsItWithoutGoingDown() {
            ApiClient http = ApiClient.at(port);
            ApiClient.Response health = http.get("/actuator/health");

            assertThat(health.status()).isEqualTo(200);
            assertThat(health.<String>json("$.status")).isEqualTo("UP");
            assertThat(health.<String>json("$.components.backends.components.kernel.status")).isEqualTo("UNKNOWN");
            assertThat(health.<Boolean>json("$.components.backends.components.kernel.details.available")).isFalse();
            assertThat(health.<String>json("$.components.backends.components.kernel.details.reason")).isEqualTo(REASON);
            assertThat(health.<String>json("$.components.backends.components.emulated.status")).isEqualTo("UP");
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
            assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        }

        @Test
        void askingForItIsA503Problem() {
            ApiClient http = ApiClient.at(port);
            ApiClient.Response refused = http.post("/api/v1/maps",
                    "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 4, \"backend\": \"KERNEL\"}");

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:backend-unavailable");
            assertThat(refused.<String>json("$.detail")).contains(REASON);
            assertThat(http.get("/api/v1/maps").body()).isEqualTo("[]");
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"bpfmapd.kernel.enabled=false", "bpfmapd.backend.default=KERNEL"})
    @TemporaryDataDir
    class WhenItIsTheDefault {

        @LocalServerPort
        int port;

        @Test
        void theServiceIsAliveButNotReady() {
            ApiClient http = ApiClient.at(port);

            assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
            ApiClient.Response readiness = http.get("/actuator/health/readiness");
            assertThat(readiness.status()).isEqualTo(503);
            assertThat(readiness.<String>json("$.status")).isEqualTo("DOWN");
            ApiClient.Response refused = http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 4}");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.<String>json("$.backend")).isEqualTo("KERNEL");
            assertThat(refused.<String>json("$.detail")).contains(REASON);
            ApiClient.Response emulated = http.post("/api/v1/maps",
                    "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 4, \"backend\": \"EMULATED\"}");
            assertThat(emulated.status()).isEqualTo(201);
            assertThat(http.delete("/api/v1/maps/" + emulated.<String>json("$.id")).status()).isEqualTo(204);
        }
    }
}
