package io.bpfmapd.security;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Installs {@link ProblemErrorHandler} as the server's error handler: the one Jetty calls for a request
 * it refuses while parsing, before any context (and so before Spring's error page) sees it; and
 * {@link ContainerRefusals} in front of the context, for what Jetty would let through that Tomcat refused.
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrorConfiguration {

    @Bean
    WebServerFactoryCustomizer<JettyServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addServerCustomizers(server -> {
            server.setErrorHandler(new ProblemErrorHandler());
            server.setHandler(new ContainerRefusals(server.getHandler()));
        });
    }
}
