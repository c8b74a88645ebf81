package io.bpfmapd.security;

import io.bpfmapd.web.ProblemType;
import io.bpfmapd.web.ProblemWriter;
import io.bpfmapd.backend.Errno;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * A request the firewall refuses before any filter runs (an encoded {@code .}, {@code /} or {@code ;}
 * in the path, a {@code ..} segment, a control character): 400 with the problem detail of any other
 * malformed request, instead of the servlet container's error page. A refused mutation is audited here:
 * the chain, and the audit filter in it, never runs for it.
 */
public final class ProblemRequestRejectedHandler implements RequestRejectedHandler {

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        // Titled as HTTP titles it, as Tomcat's own refusals of a malformed request are.
        ProblemWriter.write(request, response, ProblemType.MALFORMED_REQUEST.problem(HttpStatus.BAD_REQUEST,
                HttpStatus.BAD_REQUEST.getReasonPhrase(), Errno.EINVAL,
                "the request was refused before it reached the API: " + rejected.getMessage()));
        AuditLog.refused(request, request.getRequestURI(), HttpServletResponse.SC_BAD_REQUEST);
    }
}
