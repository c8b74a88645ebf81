package io.bpfmapd.security;

import io.bpfmapd.backend.Errno;
import io.bpfmapd.web.ProblemType;
import io.bpfmapd.web.ProblemWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

/**
 * Jetty's error handler for requests it refuses before any servlet runs (a NUL or other illegal
 * character in the path, a malformed request line, headers too large): the same problem detail shape
 * as the API instead of an HTML page, so that a client parses every error the same way. Never echoes
 * the request, which is what was malformed. A refused mutation is audited here ({@link AuditLog}).
 */
public class ProblemErrorHandler extends ErrorHandler {

    /** Every method gets the body, not only Jetty's GET, POST and HEAD (a TRACE's 405 too); HEAD's is dropped by Jetty. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        Errno errno = errno(status);
        String json = ProblemWriter.json(type(status).problem(HttpStatusCode.valueOf(status), title, errno,
                "the server refused the request before it reached the API"));
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        AuditLog.refused(request.getMethod(), path, status, errno == null ? null : errno.name());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static ProblemType type(int status) {
        return ProblemType.ofHttpStatus(status, ProblemType.MALFORMED_REQUEST);
    }

    /** What Jetty refused, as errno: the type's (EINVAL for a bad request line or header), E2BIG for one too long. */
    private static Errno errno(int status) {
        return switch (status) {
            case 414, 431 -> Errno.E2BIG;
            default -> type(status).errno();
        };
    }
}
