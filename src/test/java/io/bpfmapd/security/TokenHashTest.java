package io.bpfmapd.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenHashTest {

    @Test
    void hashesLikeSha256sum() {
        // printf %s test | sha256sum
        assertThat(TokenHash.sha256Hex("test"))
                .isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    }

    @Test
    void hashesTheUtf8BytesOfTheToken() {
        // printf %s 'é' | sha256sum
        assertThat(TokenHash.sha256Hex("\u00e9"))
                .isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
    }

    @Test
    void acceptsOnlyLowerCaseHexOfSixtyFourDigits() {
        String hash = TokenHash.sha256Hex("x");
        assertThat(TokenHash.isSha256Hex(hash)).isTrue();
        assertThat(TokenHash.isSha256Hex(hash.toUpperCase())).isFalse();
        assertThat(TokenHash.isSha256Hex(hash.substring(1))).isFalse();
        assertThat(TokenHash.isSha256Hex(hash + "0")).isFalse();
        assertThat(TokenHash.isSha256Hex("g".repeat(64))).isFalse();
        assertThat(TokenHash.isSha256Hex(null)).isFalse();
    }
}
