package io.bpfmapd.config;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The clock that times leases; tests replace it. The principal that owns sessions comes from
 * {@code io.bpfmapd.security.SecurityConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class CoreConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
