package io.bpfmapd.security;

import io.bpfmapd.web.LogValue;
import io.bpfmapd.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit line of a mutating request, on the {@value #LOGGER} logger, whoever answered it: the
 * security chain ({@link AuditFilter}), the firewall's refusal ({@link ProblemRequestRejectedHandler}),
 * which runs before any filter, or Jetty's ({@link ProblemErrorHandler}), which runs before any
 * servlet. One line per request: the request remembers that it was written.
 * <pre>
 * principal=ops op=map.freeze method=POST path=/api/v1/maps/7/freeze map=7 session=- status=409 errno=EBUSY ms=3
 * </pre>
 */
final class AuditLog {

    static final String LOGGER = "bpfmapd.audit";
    private static final Logger audit = LoggerFactory.getLogger(LOGGER);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** Request attribute set once the request's line is written. */
    private static final String WRITTEN = AuditLog.class.getName() + ".written";

    private AuditLog() {
    }

    /** Whether {@code method} is audited at all: the mutating ones, when the logger is on. */
    static boolean audits(String method) {
        return method != null && MUTATING.contains(method) && audit.isInfoEnabled();
    }

    /** The line of a request answered before the chain knew who sent it: no principal, no time spent. */
    static void refused(HttpServletRequest request, String path, int status) {
        if (audits(request.getMethod())) {
            write(request, null, AuditedOperation.of(request.getMethod(), path == null ? "" : path), path, status, 0);
        }
    }

    /** The same for a request the server refused before any servlet request existed (nothing to mark). */
    static void refused(String method, String path, int status, String errno) {
        if (audits(method)) {
            AuditedOperation op = AuditedOperation.of(method, path == null ? "" : path);
            audit.info("principal={} op={} method={} path={} map={} session={} status={} errno={} ms={}",
                    LogValue.of(null), op.name(), LogValue.of(method), LogValue.of(path),
                    LogValue.of(op.map()), LogValue.of(op.session()), status, LogValue.of(errno), 0);
        }
    }

    /** Writes the line unless this request has one already. */
    static void write(HttpServletRequest request, String principal, AuditedOperation op, String path, int status,
                      long millis) {
        if (request.getAttribute(WRITTEN) != null) {
            return;
        }
        request.setAttribute(WRITTEN, Boolean.TRUE);
        audit.info("principal={} op={} method={} path={} map={} session={} status={} errno={} ms={}",
                LogValue.of(principal), op.name(), LogValue.of(request.getMethod()), LogValue.of(path),
                LogValue.of(op.map()), LogValue.of(op.session()), status, LogValue.of(errno(request)), millis);
    }

    private static String errno(HttpServletRequest request) {
        return request.getAttribute(ProblemWriter.ERRNO_ATTRIBUTE) instanceof String errno ? errno : null;
    }
}
