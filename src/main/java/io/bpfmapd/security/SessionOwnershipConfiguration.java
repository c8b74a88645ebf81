package io.bpfmapd.security;

import io.bpfmapd.session.SessionNotFoundException;
import io.bpfmapd.session.SessionRegistry;
import io.bpfmapd.session.SessionResource;
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
        return new SessionOwners() {
            @Override
            public Optional<String> ownerOf(String sessionId) {
                return find(sessionId).map(SessionResource::owner);
            }

            @Override
            public Optional<String> mapOf(String sessionId) {
                return find(sessionId).map(SessionResource::mapId);
            }

            private Optional<SessionResource> find(String sessionId) {
                try {
                    return Optional.of(sessions.get(sessionId));
                } catch (SessionNotFoundException e) {
                    return Optional.empty();
                }
            }
        };
    }
}
