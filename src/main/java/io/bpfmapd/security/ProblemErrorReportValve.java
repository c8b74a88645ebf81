package io.bpfmapd.security;

import io.bpfmapd.backend.Errno;
import io.bpfmapd.web.ProblemType;
import io.bpfmapd.web.ProblemWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * Tomcat's error report for requests it refuses before any servlet runs (a NUL or other illegal
 * character in the path, a malformed request line, headers too large): the same problem detail shape
 * as the API instead of an HTML page, so that a client parses every error the same way. Never echoes
 * the request, which is what was malformed. A refused mutation is audited here ({@link AuditLog}).
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        String json = ProblemWriter.json(request, type(status).problem(HttpStatusCode.valueOf(status), title,
                errno(status), "the server refused the request before it reached the API"));
        // Refused before the security chain ran (a bad Content-Length, Transfer-Encoding or path escape):
        // the audit line is written here, once; a request the chain answered has its own already.
        AuditLog.refused(request, request.getRequestURI(), status);
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response was committed meanwhile; nothing left to tell
        }
    }

    private static ProblemType type(int status) {
        return ProblemType.ofHttpStatus(status, ProblemType.MALFORMED_REQUEST);
    }

    /** What Tomcat refused, as errno: the type's (EINVAL for a bad request line or header), E2BIG for one too long. */
    private static Errno errno(int status) {
        return switch (status) {
            case 414, 431 -> Errno.E2BIG;
            default -> type(status).errno();
        };
    }
}
