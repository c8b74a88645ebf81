package io.bpfmapd.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 as a problem detail, with the {@code WWW-Authenticate} challenge of RFC 6750 §3: a bare
 * {@code Bearer} challenge when no token was sent, {@code error="invalid_token"} when one was refused.
 */
public final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    static final String REALM = "bpfmapd";

    private final SecurityProblems problems;

    public ProblemAuthenticationEntryPoint(SecurityProblems problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        boolean tokenRefused = failure instanceof BadCredentialsException;
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, tokenRefused
                ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\""
                : "Bearer realm=\"" + REALM + "\"");
        String detail = tokenRefused
                ? failure.getMessage()
                : "this request needs a bearer token: Authorization: Bearer <token>";
        problems.write(request, response, HttpStatus.UNAUTHORIZED, SecurityProblems.UNAUTHENTICATED, detail,
                SecurityProblems.ERRNO_UNAUTHENTICATED);
    }
}
