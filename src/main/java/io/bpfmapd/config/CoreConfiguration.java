package io.bpfmapd.config;

import io.bpfmapd.web.CurrentPrincipal;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock that times leases and the principal that owns sessions; tests and security replace them. */
@Configuration(proxyBeanMethods = false)
class CoreConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Until requests are authenticated, every session belongs to {@value CurrentPrincipal#ANONYMOUS}. */
    @Bean
    @ConditionalOnMissingBean
    CurrentPrincipal currentPrincipal() {
        return () -> CurrentPrincipal.ANONYMOUS;
    }
}
