package io.bpfmapd.security;

import io.bpfmapd.web.ProblemType;
import io.bpfmapd.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 403 as a problem detail with errno {@code EACCES}, naming who was refused and the role the request
 * needs, or whose session it is.
 */
public final class ProblemAccessDeniedHandler implements AccessDeniedHandler {

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        String name = who == null ? "this caller" : "'" + who.getName() + "'";
        if (denied instanceof AuthorizationDeniedException d
                && d.getAuthorizationResult() instanceof SessionOwnerAuthorization.NotOwner notOwner) {
            ProblemWriter.write(request, response, ProblemType.NOT_SESSION_OWNER.problem(
                    "session " + notOwner.sessionId() + " belongs to '" + notOwner.owner() + "'; " + name
                            + " may not " + notOwner.operation() + " it"));
            return;
        }
        Role needed = ApiAccessRules.requiredRole(request.getMethod(), request.getRequestURI().substring(
                request.getContextPath().length()));
        String detail = needed == null
                ? name + " may not " + request.getMethod() + " " + request.getRequestURI()
                : name + " lacks the role '" + needed + "' that " + request.getMethod() + " " + request.getRequestURI()
                        + " needs";
        ProblemWriter.write(request, response, ProblemType.FORBIDDEN.problem(detail));
    }
}
