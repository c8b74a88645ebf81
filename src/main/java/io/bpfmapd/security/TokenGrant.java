package io.bpfmapd.security;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One configured bearer token: who presents it, what it may do, and the SHA-256 of the token (never
 * the token itself).
 *
 * @param name   the principal: the owner of the sessions it opens and the name in the audit log
 * @param roles  at least one role; each includes the ones below it
 * @param sha256 lower-case hex SHA-256 of the token, as {@code sha256sum} prints it
 */
public record TokenGrant(String name, Set<Role> roles, String sha256) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    public TokenGrant {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("token name '" + name
                    + "' must be 1-64 characters of letters, digits, '.', '_', '@', '-' and start with a letter or digit");
        }
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("token '" + name + "' needs at least one role");
        }
        if (!TokenHash.isSha256Hex(sha256)) {
            throw new IllegalArgumentException("token '" + name + "' needs sha256 as 64 lower-case hex digits");
        }
        roles = Set.copyOf(EnumSet.copyOf(roles));
    }

    /** Keeps the hash out of logs and exception messages. */
    @Override
    public String toString() {
        return "TokenGrant[name=" + name + ", roles=" + roles + "]";
    }
}
