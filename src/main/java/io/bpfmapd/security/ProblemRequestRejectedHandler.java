package io.bpfmapd.security;

import io.bpfmapd.web.ProblemTypes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * A request the firewall refuses before any filter runs (an encoded {@code .}, {@code /} or {@code ;}
 * in the path, a {@code ..} segment, a control character): 400 with the problem detail of any other
 * malformed request, instead of the servlet container's error page.
 */
public final class ProblemRequestRejectedHandler implements RequestRejectedHandler {

    private final SecurityProblems problems;

    public ProblemRequestRejectedHandler(SecurityProblems problems) {
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        problems.write(request, response, HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST,
                "the request was refused before it reached the API: " + rejected.getMessage(), "EINVAL");
    }
}
