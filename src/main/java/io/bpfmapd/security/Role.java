package io.bpfmapd.security;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a token may do. Each role includes the ones below it ({@code admin ⊇ writer ⊇ reader}), so a
 * rule names only the least role it needs. Written in lower case in configuration and tokens files.
 */
public enum Role {
    /** GET maps, values, sessions (anyone's metadata), metrics. */
    READER,
    /** Update values; open, renew and close its own sessions and write through them. */
    WRITER,
    /** Create, import, pin, delete and freeze maps; close anyone's session. */
    ADMIN;

    /** The Spring Security authority of exactly this role, e.g. {@code ROLE_WRITER}. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** This role and every role it includes. */
    public Set<Role> included() {
        return EnumSet.range(READER, this);
    }

    /** The authorities of a set of roles, each expanded to the roles it includes. */
    public static List<GrantedAuthority> authorities(Set<Role> roles) {
        EnumSet<Role> all = EnumSet.noneOf(Role.class);
        roles.forEach(role -> all.addAll(role.included()));
        return all.stream().<GrantedAuthority>map(role -> new SimpleGrantedAuthority(role.authority())).toList();
    }

    /** Parses {@code reader}, {@code writer} or {@code admin} (any case). */
    public static Role parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + text + "' (expected reader, writer or admin)");
        }
    }

    @Override
    @JsonValue
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
