package io.bpfmapd.security;

import java.util.List;
import java.util.Set;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A bearer token: before authentication it carries the presented secret, after it the principal's
 * name and roles only (the secret is dropped as soon as it has been checked).
 */
public final class BearerTokenAuthentication extends AbstractAuthenticationToken {

    private final String principal;
    private String token;

    private BearerTokenAuthentication(String token) {
        super(List.of());
        this.principal = null;
        this.token = token;
        setAuthenticated(false);
    }

    private BearerTokenAuthentication(String principal, Set<Role> roles) {
        super(Role.authorities(roles));
        this.principal = principal;
        this.token = null;
        super.setAuthenticated(true);
    }

    /** What the filter hands to the provider: the token as the client presented it. */
    public static BearerTokenAuthentication unauthenticated(String token) {
        return new BearerTokenAuthentication(token);
    }

    public static BearerTokenAuthentication authenticated(String principal, Set<Role> roles) {
        return new BearerTokenAuthentication(principal, roles);
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal == null ? "" : principal;
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated) {
            throw new IllegalArgumentException("use BearerTokenAuthentication.authenticated(...)");
        }
        super.setAuthenticated(false);
    }

    @Override
    public void eraseCredentials() {
        token = null;
        super.eraseCredentials();
    }

    @Override
    public boolean equals(Object other) {
        return super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
