package io.bpfmapd.security;

import io.bpfmapd.web.CurrentPrincipal;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The principal the filter chain authenticated: a token's name, or {@value CurrentPrincipal#ANONYMOUS}
 * in open mode. The API reaches a session-opening controller only authenticated, so the fallback is
 * never an owner in closed mode.
 */
final class AuthenticatedPrincipal implements CurrentPrincipal {

    @Override
    public String name() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        if (who == null || !who.isAuthenticated() || who instanceof AnonymousAuthenticationToken) {
            return ANONYMOUS;
        }
        return who.getName();
    }
}
