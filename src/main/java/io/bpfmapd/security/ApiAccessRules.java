package io.bpfmapd.security;

import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The one table of which role each request of {@code /api/v1} needs. The first rule that
 * matches wins; whatever no rule names falls to the last one, {@code admin}, so a new endpoint is
 * closed until someone opens it here. A session's renew, write and close also need its owner.
 */
public final class ApiAccessRules {

    public static final String API = "/api/v1";

    /** Whether a rule also asks for the session's owner, and whether an admin may act for the owner. */
    enum Ownership { NONE, OWNER, OWNER_OR_ADMIN }

    /**
     * One row: a method (null for any) and a path pattern, the least role that may do it, and for a
     * session's path whether only its owner may.
     */
    record Rule(HttpMethod method, String pattern, Role role, Ownership ownership, String operation) {

        Rule(HttpMethod method, String pattern, Role role) {
            this(method, pattern, role, Ownership.NONE, null);
        }

        private static final PathPatternParser PARSER = PathPatternParser.defaultInstance;

        boolean matches(String method, String path) {
            PathPattern parsed = PARSER.parse(pattern);
            return (this.method == null || this.method.matches(method)) && parsed.matches(PathContainer.parsePath(path));
        }
    }

    static final List<Rule> RULES = List.of(
            // reader: every read, anyone's session metadata included
            new Rule(HttpMethod.GET, API + "/**", Role.READER),
            new Rule(HttpMethod.HEAD, API + "/**", Role.READER),
            // writer: values through the syscall path, global variables by name, and sessions (ownership is checked by the session layer)
            new Rule(HttpMethod.PUT, API + "/maps/*/values/*", Role.WRITER),
            new Rule(HttpMethod.PUT, API + "/maps/*/variables/*", Role.WRITER),
            new Rule(HttpMethod.POST, API + "/maps/*/sessions", Role.WRITER),
            new Rule(HttpMethod.POST, API + "/sessions/{sid}/renew", Role.WRITER, Ownership.OWNER, "renew"),
            new Rule(HttpMethod.DELETE, API + "/sessions/{sid}", Role.WRITER, Ownership.OWNER_OR_ADMIN, "close"),
            new Rule(HttpMethod.PUT, API + "/sessions/{sid}/memory", Role.WRITER, Ownership.OWNER, "write through"),
            new Rule(HttpMethod.PUT, API + "/sessions/{sid}/memory/bytes", Role.WRITER, Ownership.OWNER, "write through"),
            // admin: metric views are declared and removed by an admin only (reader lists and shows them)
            new Rule(HttpMethod.POST, API + "/exports", Role.ADMIN),
            new Rule(HttpMethod.DELETE, API + "/exports/*", Role.ADMIN),
            // admin: POST /maps, /maps/import, /maps/{id}/pin, /maps/{id}/freeze, DELETE /maps/{id}, and anything new
            new Rule(null, API + "/**", Role.ADMIN));

    private ApiAccessRules() {
    }

    /** Adds the table to a filter chain's authorization rules; session owners are looked up through {@code owners}. */
    public static void apply(AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry auth,
                             Supplier<SessionOwners> owners) {
        for (Rule rule : RULES) {
            var matcher = rule.method == null
                    ? auth.requestMatchers(rule.pattern)
                    : auth.requestMatchers(rule.method, rule.pattern);
            if (rule.ownership == Ownership.NONE) {
                matcher.hasRole(rule.role.name());
            } else {
                matcher.access(new SessionOwnerAuthorization(rule.role, rule.ownership == Ownership.OWNER_OR_ADMIN,
                        rule.operation, owners));
            }
        }
    }

    /** The least role a request needs, or null if it is not an API request; for messages and tests. */
    public static Role requiredRole(String method, String path) {
        return RULES.stream().filter(rule -> rule.matches(method, path)).map(Rule::role).findFirst().orElse(null);
    }
}
