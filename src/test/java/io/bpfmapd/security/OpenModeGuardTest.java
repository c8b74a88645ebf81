package io.bpfmapd.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenModeGuardTest {

    static SecurityProperties open(boolean allowOpen) {
        return new SecurityProperties(List.of(), null, Duration.ofSeconds(5), allowOpen);
    }

    static final SecurityProperties CLOSED = new SecurityProperties(
            List.of(new TokenGrant("ops", Set.of(Role.ADMIN), TokenHash.sha256Hex("t"))), null, Duration.ofSeconds(5), false);

    @Test
    void openOnLoopbackStarts() {
        assertThatCode(() -> OpenModeGuard.check(open(false), "127.0.0.1")).doesNotThrowAnyException();
        assertThatCode(() -> OpenModeGuard.check(open(false), "::1")).doesNotThrowAnyException();
        assertThatCode(() -> OpenModeGuard.check(open(false), "localhost")).doesNotThrowAnyException();
    }

    @Test
    void openOnTheNetworkRefusesToStart() {
        for (String address : new String[] {null, "", "0.0.0.0", "::", "10.1.2.3"}) {
            assertThatThrownBy(() -> OpenModeGuard.check(open(false), address))
                    .as("server.address=%s", address)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bpfmapd.security.allow-open=true");
        }
    }

    @Test
    void openOnTheNetworkStartsWhenExplicitlyAllowed() {
        assertThatCode(() -> OpenModeGuard.check(open(true), "0.0.0.0")).doesNotThrowAnyException();
    }

    @Test
    void tokensMakeAnyAddressFine() {
        assertThatCode(() -> OpenModeGuard.check(CLOSED, "0.0.0.0")).doesNotThrowAnyException();
        assertThatCode(() -> OpenModeGuard.check(CLOSED, null)).doesNotThrowAnyException();
    }

    @Test
    void aTokensFileAloneClosesTheService() {
        var fileOnly = new SecurityProperties(List.of(), java.nio.file.Path.of("/run/secrets/tokens"), Duration.ofSeconds(5), false);
        assertThatCode(() -> OpenModeGuard.check(fileOnly, "0.0.0.0")).doesNotThrowAnyException();
    }
}
