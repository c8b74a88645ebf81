package io.bpfmapd.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the API. With no token at all (neither {@code tokens} nor {@code tokens-file}) the
 * service runs open: every caller is {@code anonymous} with the {@code admin} role, which is only
 * allowed on a loopback address unless {@code allow-open} says otherwise.
 *
 * @param tokens                    bearer tokens given in configuration, each a name, roles and the
 *                                  SHA-256 hex of the token
 * @param tokensFile                a file of more tokens, one {@code name:role[,role]:sha256hex} a
 *                                  line (a mounted Kubernetes Secret); re-read while running
 * @param tokensFileReloadInterval  how often the tokens file is checked for changes
 * @param allowOpen                 start without tokens even when bound to a non-loopback address
 *                                  (anyone who reaches the port is admin)
 */
@ConfigurationProperties("bpfmapd.security")
public record SecurityProperties(@DefaultValue List<TokenGrant> tokens,
                                 Path tokensFile,
                                 @DefaultValue("5s") Duration tokensFileReloadInterval,
                                 @DefaultValue("false") boolean allowOpen) {

    public SecurityProperties {
        tokens = List.copyOf(tokens);
        if (tokensFileReloadInterval.isNegative() || tokensFileReloadInterval.isZero()) {
            throw new IllegalArgumentException(
                    "bpfmapd.security.tokens-file-reload-interval must be positive, was " + tokensFileReloadInterval);
        }
    }

    /** No token configured anywhere: the open mode. */
    public boolean open() {
        return tokens.isEmpty() && tokensFile == null;
    }
}
