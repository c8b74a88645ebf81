package io.bpfmapd.limits;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A {@link LimitExceededException} as a problem detail naming the limit and its value, so that an
 * operator can tell a client's mistake from a limit to raise. Ordered first, ahead of the API's
 * catch-all handler.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class LimitProblemHandler {

    public static final URI LIMIT_EXCEEDED = URI.create("urn:bpfmapd:problem:limit-exceeded");
    /** Request attribute where the answered errno is left for the audit log (same name the audit filter reads). */
    public static final String ERRNO_ATTRIBUTE = "io.bpfmapd.security.AuditFilter.errno";

    @ExceptionHandler(LimitExceededException.class)
    ResponseEntity<ProblemDetail> limitExceeded(LimitExceededException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setType(LIMIT_EXCEEDED);
        problem.setTitle("Limit exceeded");
        problem.setInstance(URI.create(request.getRequestURI()));
        problem.setProperty("errno", e.errno());
        problem.setProperty("limit", e.limit());
        problem.setProperty("max", e.max());
        request.setAttribute(ERRNO_ATTRIBUTE, e.errno());
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
