package io.bpfmapd.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} (RFC 6750 §2.1). No header: the request goes on
 * unauthenticated and the authorization rules decide (public endpoints pass, the API answers 401). A
 * header that is not a bearer token, or a token nobody configured: 401 at once, even on a public
 * endpoint, so that a client learns its credential is wrong instead of silently acting as no one.
 */
public final class BearerTokenFilter extends OncePerRequestFilter {

    private static final String PREFIX = "Bearer ";

    private final AuthenticationManager authenticationManager;
    private final AuthenticationEntryPoint entryPoint;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();
    private final SecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

    public BearerTokenFilter(AuthenticationManager authenticationManager, AuthenticationEntryPoint entryPoint) {
        this.authenticationManager = authenticationManager;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        Authentication authenticated;
        try {
            authenticated = authenticationManager.authenticate(BearerTokenAuthentication.unauthenticated(token(header)));
        } catch (AuthenticationException failure) {
            contexts.clearContext();
            entryPoint.commence(request, response, failure);
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(authenticated);
        contexts.setContext(context);
        // Kept for the async and error dispatches of this request (streamed bodies), which run the chain again.
        repository.saveContext(context, request, response);
        chain.doFilter(request, response);
    }

    private static String token(String header) {
        // The scheme is case-insensitive (RFC 9110 §11.1); the token is taken as sent.
        if (header.length() <= PREFIX.length() || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new BadCredentialsException("the Authorization header is not 'Bearer <token>'");
        }
        String token = header.substring(PREFIX.length()).strip();
        if (token.isEmpty() || token.contains(" ")) {
            throw new BadCredentialsException("the Authorization header is not 'Bearer <token>'");
        }
        return token;
    }
}
