package io.bpfmapd.security;

import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * A session belongs to the principal that opened it: renewing it, writing through it
 * or closing it needs the role of the request <em>and</em> to be its owner; only {@code admin} may
 * close someone else's. A session that does not exist passes, so that the API answers its 404.
 */
final class SessionOwnerAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

    /** Why a request on someone else's session was refused; the 403 handler words it. */
    record NotOwner(String sessionId, String owner, String operation) implements AuthorizationResult {
        @Override
        public boolean isGranted() {
            return false;
        }
    }

    private final Role role;
    private final boolean adminMayOverride;
    private final String operation;
    private final Supplier<SessionOwners> owners;

    SessionOwnerAuthorization(Role role, boolean adminMayOverride, String operation, Supplier<SessionOwners> owners) {
        this.role = role;
        this.adminMayOverride = adminMayOverride;
        this.operation = operation;
        this.owners = owners;
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
        Authentication who = authentication.get();
        if (who == null || !who.isAuthenticated() || who instanceof AnonymousAuthenticationToken
                || !has(who, role)) {
            return new AuthorizationDecision(false);
        }
        String sessionId = context.getVariables().get("sid");
        Optional<String> owner = sessionId == null ? Optional.empty() : owners.get().ownerOf(sessionId);
        if (owner.isEmpty() || owner.get().equals(who.getName()) || (adminMayOverride && has(who, Role.ADMIN))) {
            return new AuthorizationDecision(true);
        }
        return new NotOwner(sessionId, owner.get(), operation);
    }

    private static boolean has(Authentication who, Role role) {
        return who.getAuthorities().stream().anyMatch(a -> role.authority().equals(a.getAuthority()));
    }
}
