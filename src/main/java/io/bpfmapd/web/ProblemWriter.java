package io.bpfmapd.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way a problem detail leaves the service, whoever answers: the controller advice
 * ({@link ApiExceptionHandler}), the security chain's entry points and filters, which run before Spring
 * MVC, and Tomcat's error report for requests refused before any servlet. Every path leaves the
 * problem's errno in {@link #ERRNO_ATTRIBUTE} for the audit log, so that no answer can forget it.
 */
public final class ProblemWriter {

    /** Top-level member: the symbolic errno, where the failure is one. */
    public static final String ERRNO = "errno";
    /** Top-level member: the BPF or service operation that failed. */
    public static final String OPERATION = "operation";
    /** Top-level member: each refused field, for validation failures. */
    public static final String ERRORS = "errors";
    /** Top-level member: the backend that is unavailable. */
    public static final String BACKEND = "backend";
    /** Top-level member: the property that sets the limit a request would pass. */
    public static final String LIMIT = "limit";
    /** Top-level member: that limit's value. */
    public static final String MAX = "max";
    /** Every member beyond RFC 9457's five that a problem of this service may have: {@link ProblemDoc} documents each. */
    public static final List<String> EXTENSIONS = List.of(ERRNO, OPERATION, ERRORS, BACKEND, LIMIT, MAX);
    /** Request attribute holding the errno of the problem sent, as its name; absent when none was. */
    public static final String ERRNO_ATTRIBUTE = ProblemWriter.class.getName() + ".errno";

    private static final JsonMapper JSON = JsonMapper.shared();

    private ProblemWriter() {
    }

    /** The answer of an exception handler. */
    public static ResponseEntity<ProblemDetail> respond(HttpServletRequest request, ProblemDetail problem) {
        return respond(request, problem, new HttpHeaders(), HttpStatusCode.valueOf(problem.getStatus()));
    }

    /**
     * The answer of an exception handler with headers of its own (Spring's, e.g. {@code Allow} for a 405).
     * Always {@code application/problem+json}: a client asking for octet-stream still gets a problem.
     */
    public static <T> ResponseEntity<T> respond(HttpServletRequest request, T body, HttpHeaders headers,
                                                HttpStatusCode status) {
        if (body instanceof ProblemDetail problem) {
            record(request, problem);
        }
        HttpHeaders withType = new HttpHeaders();
        withType.putAll(headers);
        withType.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, withType, status);
    }

    /** Writes the problem as the whole response, from a servlet filter or a security handler. */
    public static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        record(request, problem);
        Map<String, Object> body = members(problem,
                problem.getInstance() == null ? request.getRequestURI() : problem.getInstance().toString());
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), body);
    }

    /**
     * The problem as JSON for a writer of the caller's (Tomcat's error report), without an
     * {@code instance}: the request it would echo is what was malformed.
     */
    public static String json(HttpServletRequest request, ProblemDetail problem) {
        record(request, problem);
        return JSON.writeValueAsString(members(problem, null));
    }

    /** The same, for a refusal before any servlet request exists (Jetty's server error handler). */
    public static String json(ProblemDetail problem) {
        return JSON.writeValueAsString(members(problem, null));
    }

    private static void record(HttpServletRequest request, ProblemDetail problem) {
        Object errno = problem.getProperties() == null ? null : problem.getProperties().get(ERRNO);
        if (errno != null) {
            request.setAttribute(ERRNO_ATTRIBUTE, errno.toString());
        } else {
            request.removeAttribute(ERRNO_ATTRIBUTE);
        }
    }

    /** The members in the order Spring writes a {@link ProblemDetail}: the standard five, then the extensions. */
    private static Map<String, Object> members(ProblemDetail problem, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (instance != null) {
            body.put("instance", instance);
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }
}
