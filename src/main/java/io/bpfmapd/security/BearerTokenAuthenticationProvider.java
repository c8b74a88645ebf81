package io.bpfmapd.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Checks a presented bearer token against the {@link TokenRegistry}. */
public final class BearerTokenAuthenticationProvider implements AuthenticationProvider {

    private final TokenRegistry registry;

    public BearerTokenAuthenticationProvider(TokenRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = (String) authentication.getCredentials();
        return registry.find(token)
                .map(grant -> BearerTokenAuthentication.authenticated(grant.name(), grant.roles()))
                .orElseThrow(() -> new BadCredentialsException("unknown bearer token"));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthentication.class.isAssignableFrom(authentication);
    }
}
