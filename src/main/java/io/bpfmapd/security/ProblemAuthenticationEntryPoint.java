package io.bpfmapd.security;

import io.bpfmapd.web.ProblemType;
import io.bpfmapd.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 as a problem detail, with the {@code WWW-Authenticate} challenge of RFC 6750 §3: a bare
 * {@code Bearer} challenge when no token was sent, {@code error="invalid_token"} when one was refused.
 */
public final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    static final String REALM = "bpfmapd";

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
        ProblemWriter.write(request, response, ProblemType.UNAUTHENTICATED.problem(detail));
    }
}
