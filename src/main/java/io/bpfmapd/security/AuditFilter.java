package io.bpfmapd.security;

import io.bpfmapd.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The audit line ({@link AuditLog}) of every mutating request the security chain answers, refused ones
 * included, once it is answered. Sits in the chain after the context is loaded and before
 * authentication, so that it sees the 401s and 403s of the chain as well as the principal the chain
 * found. Requests refused before the chain runs are audited by whoever refused them.
 */
public final class AuditFilter extends OncePerRequestFilter {

    public static final String LOGGER = AuditLog.LOGGER;
    /** Request attribute where the one problem writer leaves the errno of the problem it sent. */
    public static final String ERRNO_ATTRIBUTE = ProblemWriter.ERRNO_ATTRIBUTE;

    private final Supplier<SessionOwners> sessions;

    /** @param sessions where the map of a session named in the path is looked up (before a close forgets it) */
    public AuditFilter(Supplier<SessionOwners> sessions) {
        this.sessions = sessions;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!AuditLog.audits(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        long start = System.nanoTime();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        AuditedOperation op = AuditedOperation.of(request.getMethod(), path);
        if (op.session() != null && op.map() == null) {
            op = op.withMap(sessions.get().mapOf(op.session()).orElse(null));
        }
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            // An exception escaping the chain becomes a 500 after this filter has returned.
            int status = failed ? 500 : response.getStatus();
            AuditLog.write(request, principal(), created(op, response, status), path, status,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** A create answers with the new id in its Location header, the one place it is known. */
    private static AuditedOperation created(AuditedOperation op, HttpServletResponse response, int status) {
        String location = response.getHeader(HttpHeaders.LOCATION);
        if (status != 201 || location == null) {
            return op;
        }
        String id = location.substring(location.lastIndexOf('/') + 1);
        return switch (op.name()) {
            case "map.create", "map.import" -> op.withMap(id);
            case "session.open" -> op.withSession(id);
            default -> op;
        };
    }

    private static String principal() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        return who == null || who instanceof AnonymousAuthenticationToken || !who.isAuthenticated() ? null : who.getName();
    }
}
