package io.bpfmapd.security;

import io.bpfmapd.session.SessionNotFoundException;
import io.bpfmapd.session.SessionRegistry;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Session owners from the session registry. Apart from {@link SecurityConfiguration} so that web
 * slices of other packages, which mock the registry, run the role rules without ownership.
 */
@Configuration(proxyBeanMethods = false)
class SessionOwnershipConfiguration {

    @Bean
    SessionOwners sessionOwners(SessionRegistry sessions) {
        return sessionId -> {
            try {
                return Optional.of(sessions.get(sessionId).owner());
            } catch (SessionNotFoundException e) {
                return Optional.empty();
            }
        };
    }
}
