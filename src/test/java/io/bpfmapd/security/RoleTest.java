package io.bpfmapd.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;

class RoleTest {

    @Test
    void eachRoleIncludesTheOnesBelowIt() {
        assertThat(Role.READER.included()).containsExactly(Role.READER);
        assertThat(Role.WRITER.included()).containsExactly(Role.READER, Role.WRITER);
        assertThat(Role.ADMIN.included()).containsExactly(Role.READER, Role.WRITER, Role.ADMIN);
    }

    @Test
    void authoritiesAreExpandedOnce() {
        assertThat(Role.authorities(Set.of(Role.ADMIN, Role.READER)).stream().map(GrantedAuthority::getAuthority))
                .containsExactly("ROLE_READER", "ROLE_WRITER", "ROLE_ADMIN");
        assertThat(Role.authorities(Set.of(Role.WRITER)).stream().map(GrantedAuthority::getAuthority))
                .containsExactly("ROLE_READER", "ROLE_WRITER");
    }

    @Test
    void parsesAnyCaseAndRefusesUnknownRoles() {
        assertThat(Role.parse(" Writer ")).isEqualTo(Role.WRITER);
        assertThatThrownBy(() -> Role.parse("root")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("root");
    }
}
