package io.bpfmapd.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The one hash of bearer tokens: SHA-256, in lower-case hex, the same as {@code sha256sum} prints.
 *
 * <p>A fast unsalted hash is enough here because the tokens are not passwords: they are random
 * secrets of 128 bits or more ({@code openssl rand -hex 32}), so there is no dictionary to try and
 * brute force of the preimage is out of reach, while a slow password hash (bcrypt, argon2) would
 * cost tens of milliseconds on every request. The hash keeps the secret out of configuration,
 * Kubernetes objects and logs: whoever reads them cannot present it.
 */
public final class TokenHash {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private TokenHash() {
    }

    public static String sha256Hex(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** True for 64 lower-case hex digits. Upper case is refused rather than folded: one spelling per token. */
    public static boolean isSha256Hex(String text) {
        return text != null && SHA256_HEX.matcher(text).matches();
    }
}
