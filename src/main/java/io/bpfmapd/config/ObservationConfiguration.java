package io.bpfmapd.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * Spring Security observes every request, each filter of its chain and every authorization as
 * Micrometer observations. On a one-element read that bookkeeping was the largest single cost of the
 * request (about 30% of the server's CPU samples under wrk, JFR) and cut the requests per second of
 * GET /values/{i} and of a session read by 40-80% (docs/decisions/performance.md). The HTTP server metrics
 * ({@code http.server.requests}) and the audit log stay; only the {@code spring.security.*}
 * observations go.
 */
@Configuration(proxyBeanMethods = false)
class ObservationConfiguration {

    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }
}
