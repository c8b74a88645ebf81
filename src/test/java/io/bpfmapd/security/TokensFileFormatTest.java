package io.bpfmapd.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensFileFormatTest {

    static final String HASH_A = TokenHash.sha256Hex("token-a");
    static final String HASH_B = TokenHash.sha256Hex("token-b");

    @Test
    void readsOneTokenALineSkippingCommentsAndBlankLines() {
        List<TokenGrant> grants = TokensFileFormat.parse("""
                # principal:roles:sha256
                ci-bot:writer:%s

                  ops@example.com : reader,admin : %s \r
                """.formatted(HASH_A, HASH_B));

        assertThat(grants).containsExactly(
                new TokenGrant("ci-bot", Set.of(Role.WRITER), HASH_A),
                new TokenGrant("ops@example.com", Set.of(Role.READER, Role.ADMIN), HASH_B));
    }

    @Test
    void anEmptyFileHasNoTokens() {
        assertThat(TokensFileFormat.parse("")).isEmpty();
        assertThat(TokensFileFormat.parse("# nobody yet\n")).isEmpty();
    }

    @Test
    void namesTheBadLineWithoutEchoingTheHash() {
        String text = "a:reader:" + HASH_A + "\nb:root:" + HASH_B + "\n";
        assertThatThrownBy(() -> TokensFileFormat.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("root")
                .hasMessageNotContaining(HASH_B);
    }

    @Test
    void refusesWrongFieldCountsMissingRolesBadNamesAndPlainTextTokens() {
        assertThatThrownBy(() -> TokensFileFormat.parse("a:reader")).hasMessageContaining("fields");
        assertThatThrownBy(() -> TokensFileFormat.parse("a:reader:" + HASH_A + ":x")).hasMessageContaining("fields");
        assertThatThrownBy(() -> TokensFileFormat.parse("a::" + HASH_A)).hasMessageContaining("at least one role");
        assertThatThrownBy(() -> TokensFileFormat.parse("a b:reader:" + HASH_A)).hasMessageContaining("name");
        assertThatThrownBy(() -> TokensFileFormat.parse("a:reader:my-plain-token"))
                .hasMessageContaining("64 lower-case hex")
                .hasMessageNotContaining("my-plain-token");
    }

    @Test
    void grantsNeverPrintTheirHash() {
        assertThat(new TokenGrant("a", Set.of(Role.READER), HASH_A).toString()).doesNotContain(HASH_A);
    }
}
