package io.bpfmapd.security;

import io.bpfmapd.web.CurrentPrincipal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Open mode (no token configured anywhere): every request is {@value #PRINCIPAL} with the
 * {@code admin} role. The same authorization rules still run, so open and closed mode differ only
 * in who the caller is, and the audit log and session owners read {@value #PRINCIPAL}.
 */
public final class OpenAccessFilter extends OncePerRequestFilter {

    public static final String PRINCIPAL = CurrentPrincipal.ANONYMOUS;

    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();
    private final SecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(BearerTokenAuthentication.authenticated(PRINCIPAL, Set.of(Role.ADMIN)));
        contexts.setContext(context);
        // Kept for the async and error dispatches of this request (streamed bodies), which run the chain again.
        repository.saveContext(context, request, response);
        chain.doFilter(request, response);
    }
}
