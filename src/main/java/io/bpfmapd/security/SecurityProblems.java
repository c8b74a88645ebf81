package io.bpfmapd.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the RFC 9457 problem details of the security filter chain, which runs before Spring MVC and
 * so cannot use its exception handlers. Same shape as every other error of the API: {@code type},
 * {@code title}, {@code status}, {@code detail}, {@code instance} and a top-level {@code errno}.
 */
public final class SecurityProblems {

    /** 401: no token, a malformed Authorization header or a token nobody configured. */
    public static final URI UNAUTHENTICATED = URI.create("urn:bpfmapd:problem:unauthenticated");
    /** 403: authenticated, but the role does not allow it. */
    public static final URI FORBIDDEN = URI.create("urn:bpfmapd:problem:forbidden");
    /** 403: the session was opened by another principal. */
    public static final URI NOT_SESSION_OWNER = URI.create("urn:bpfmapd:problem:not-session-owner");
    /**
     * The errno of a 401. Linux has no errno for "who are you?"; {@code ENOKEY} ("Required key not
     * available", 126) says exactly that a credential is missing or not recognised, and no BPF
     * operation of this API returns it, so a client can never confuse it with a kernel answer.
     */
    public static final String ERRNO_UNAUTHENTICATED = "ENOKEY";
    /** The errno of a 403, as for any permission the kernel refuses. */
    public static final String ERRNO_FORBIDDEN = "EACCES";

    private final JsonMapper json;

    public SecurityProblems(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, URI type,
                      String detail, String errno) throws IOException {
        write(request, response, status, type, status.getReasonPhrase(), detail, errno, Map.of());
    }

    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, URI type,
                      String title, String detail, String errno, Map<String, Object> extra) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.toString());
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", request.getRequestURI());
        body.put("errno", errno);
        body.putAll(extra);
        request.setAttribute(AuditFilter.ERRNO_ATTRIBUTE, errno);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }
}
