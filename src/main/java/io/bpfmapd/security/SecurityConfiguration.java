package io.bpfmapd.security;

import io.bpfmapd.limits.LimitsProperties;

import io.bpfmapd.web.CurrentPrincipal;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The filter chain: bearer tokens (or open mode), the role table of {@link ApiAccessRules}, problem
 * details for 401 and 403, and the audit log. Stateless: no HTTP session, no cookie, hence no CSRF.
 *
 * <p>It implements {@link WebMvcConfigurer} only so that {@code @WebMvcTest} slices, which pick up
 * WebMvcConfigurers but not plain configurations, run against these rules rather than Spring Boot's
 * default form login.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SecurityProperties.class, LimitsProperties.class})
public class SecurityConfiguration implements WebMvcConfigurer {

    /** Where the console's files are served from: its page, and its scripts and styles under {@code /console/}. */
    static final String[] CONSOLE_FILES = {"/", "/index.html", "/console/**"};

    /** {@link UnreadBodyDrain}, before every other filter, Spring Security's included. */
    @Bean
    FilterRegistrationBean<UnreadBodyDrain> unreadBodyDrain(LimitsProperties limits) {
        FilterRegistrationBean<UnreadBodyDrain> registration =
                new FilterRegistrationBean<>(new UnreadBodyDrain(limits.maxRequestBytes().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    TokenRegistry tokenRegistry(SecurityProperties properties) {
        return new TokenRegistry(properties.tokens(), properties.tokensFile());
    }

    /**
     * Idle without a tokens file. The bean exists either way: with Spring AOT (the image) a condition on
     * {@code bpfmapd.security.tokens-file} would be decided when the jar is built, not by the operator.
     */
    @Bean
    TokensFileWatcher tokensFileWatcher(TokenRegistry registry, SecurityProperties properties) {
        return new TokensFileWatcher(registry, properties.tokensFileReloadInterval());
    }

    /** Also tells Spring Boot not to create its default user with a generated password. */
    @Bean
    BearerTokenAuthenticationProvider bearerTokenAuthenticationProvider(TokenRegistry registry) {
        return new BearerTokenAuthenticationProvider(registry);
    }

    /** The owner of the sessions a request opens: who the chain authenticated. */
    @Bean
    CurrentPrincipal currentPrincipal() {
        return new AuthenticatedPrincipal();
    }

    /** Picked up by Spring Security's WebSecurity for requests its firewall refuses. */
    @Bean
    ProblemRequestRejectedHandler requestRejectedHandler() {
        return new ProblemRequestRejectedHandler();
    }

    @Bean
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, SecurityProperties properties, Environment environment,
                                               BearerTokenAuthenticationProvider provider,
                                               ObjectProvider<SessionOwners> sessionOwners, LimitsProperties limits)
            throws Exception {
        OpenModeGuard.check(properties, environment.getProperty("server.address"));
        var entryPoint = new ProblemAuthenticationEntryPoint();
        // Without a session layer (web slices of other packages) no session has an owner.
        Supplier<SessionOwners> owners = () -> sessionOwners.getIfAvailable(() -> sessionId -> Optional.empty());
        var authentication = properties.open()
                ? new OpenAccessFilter()
                : new BearerTokenFilter(new ProviderManager(provider), entryPoint);
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(new ProblemAccessDeniedHandler()))
                .authorizeHttpRequests(auth -> {
                    // Probes and scrapes carry no token; neither endpoint reveals or changes a map.
                    auth.requestMatchers(EndpointRequest.to("health", "prometheus", "info")).permitAll();
                    auth.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
                            "/swagger-ui.html", "/swagger-ui/**", "/error").permitAll();
                    // The console's static files (src/main/resources/static): no data in them, and every
                    // call they make is an API request under the rules below, with the token the person pasted.
                    auth.requestMatchers(HttpMethod.GET, CONSOLE_FILES).permitAll();
                    ApiAccessRules.apply(auth, owners);
                    auth.requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(Role.READER.name());
                    auth.anyRequest().authenticated();
                })
                .addFilterBefore(new AuditFilter(owners), LogoutFilter.class)
                .addFilterAfter(new RequestBodyLimitFilter(limits.maxRequestBytes().toBytes()),
                        AuthorizationFilter.class)
                .addFilterAt(authentication, BasicAuthenticationFilter.class)
                .build();
    }
}
