package io.bpfmapd.config;

import io.bpfmapd.backend.Availability;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfBackend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health component {@code backends}, one child per backend, answering from its one-time probe. A
 * working backend is UP. One that does not work here is UNKNOWN, which does not turn the service DOWN,
 * unless it is the default backend: then the service cannot do what it is configured for, and it is DOWN
 * (the readiness group includes {@code backends}; liveness does not, as a restart would not help).
 */
@Configuration(proxyBeanMethods = false)
class BackendHealthConfiguration {

    @Bean
    CompositeHealthContributor backendsHealthContributor(List<BpfBackend> backends, BackendProperties properties) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        for (BpfBackend backend : backends) {
            indicators.put(backend.kind().name().toLowerCase(Locale.ROOT),
                    () -> health(backend, backend.kind() == properties.defaultKind()));
        }
        return CompositeHealthContributor.fromMap(indicators);
    }

    static Health health(BpfBackend backend, boolean isDefault) {
        Availability a = backend.availability();
        Health.Builder builder = a.available() ? Health.up() : isDefault ? Health.down() : Health.unknown();
        return builder.withDetail("available", a.available())
                .withDetail("reason", a.reason())
                .withDetail("default", isDefault)
                .build();
    }

}
