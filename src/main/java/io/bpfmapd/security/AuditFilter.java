package io.bpfmapd.security;

import io.bpfmapd.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One line on the {@value #LOGGER} logger for every mutating request, refused ones included, once
 * it is answered:
 * <pre>
 * principal=ops op=map.freeze method=POST path=/api/v1/maps/7/freeze map=7 session=- status=409 errno=EBUSY ms=3
 * </pre>
 * Sits in the security chain after the context is loaded and before authentication, so that it sees
 * the 401s and 403s of the chain as well as the principal the chain found. Values come from the
 * client and are quoted when they hold anything but a safe set of characters, so a crafted path
 * cannot forge a line.
 */
public final class AuditFilter extends OncePerRequestFilter {

    public static final String LOGGER = "bpfmapd.audit";
    /** Request attribute where the one problem writer leaves the errno of the problem it sent. */
    public static final String ERRNO_ATTRIBUTE = ProblemWriter.ERRNO_ATTRIBUTE;

    private static final Logger audit = LoggerFactory.getLogger(LOGGER);

    private final Supplier<SessionOwners> sessions;

    /** @param sessions where the map of a session named in the path is looked up (before a close forgets it) */
    public AuditFilter(Supplier<SessionOwners> sessions) {
        this.sessions = sessions;
    }
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/@+-]+");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!MUTATING.contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        if (!audit.isInfoEnabled()) {
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
            log(request, response, path, op, status, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void log(HttpServletRequest request, HttpServletResponse response, String path,
                            AuditedOperation operation, int status, long millis) {
        AuditedOperation op = created(operation, response, status);
        audit.info("principal={} op={} method={} path={} map={} session={} status={} errno={} ms={}",
                value(principal()), op.name(), request.getMethod(), value(path), value(op.map()), value(op.session()),
                status, value(errno(request)), millis);
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

    private static String errno(HttpServletRequest request) {
        return request.getAttribute(ERRNO_ATTRIBUTE) instanceof String errno ? errno : null;
    }

    /** {@code -} for none, the value as is when it is plainly safe, else a quoted and escaped string. */
    static String value(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "-";
        }
        if (SAFE.matcher(raw).matches()) {
            return raw;
        }
        StringBuilder quoted = new StringBuilder("\"");
        raw.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || c == 0x7f) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }
}
