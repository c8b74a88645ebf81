package io.bpfmapd.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens the service accepts: those of the configuration plus those of the tokens file, looked
 * up by the SHA-256 of what the client presents. The file is re-read by {@link #reloadIfChanged()};
 * a file that no longer parses keeps the tokens last loaded (and says so in the log), so a bad edit
 * neither locks everyone out nor lets anyone in.
 *
 * <p>Lookup is a hash-map probe on the SHA-256 of the presented token. Its timing can only tell an
 * attacker about hashes of tokens they chose, which says nothing about a stored hash's preimage, so
 * no constant-time comparison is needed.
 */
public final class TokenRegistry {

    private static final Logger log = LoggerFactory.getLogger(TokenRegistry.class);
    /** A tokens file is a few lines; anything this large is a mistake, not a token list. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private final List<TokenGrant> configured;
    private final Path file;
    private volatile Snapshot snapshot;

    private record Snapshot(Map<String, TokenGrant> bySha256, byte[] fileContent) {
    }

    /**
     * Loads the tokens now.
     *
     * @param file the tokens file, or null for configured tokens only
     * @throws IllegalArgumentException if the tokens file is missing or malformed, or a hash is repeated
     */
    public TokenRegistry(List<TokenGrant> configured, Path file) {
        this.configured = List.copyOf(configured);
        this.file = file;
        byte[] content = file == null ? new byte[0] : read(file);
        this.snapshot = build(content);
        log.info("Loaded {} bearer token(s): {} from configuration, {} from {}", snapshot.bySha256.size(),
                this.configured.size(), snapshot.bySha256.size() - this.configured.size(), file == null ? "no file" : file);
    }

    public Optional<TokenGrant> find(String presentedToken) {
        return Optional.ofNullable(snapshot.bySha256.get(TokenHash.sha256Hex(presentedToken)));
    }

    public int size() {
        return snapshot.bySha256.size();
    }

    /** Whether there is a tokens file, hence anything for {@link #reloadIfChanged()} to re-read. */
    public boolean hasFile() {
        return file != null;
    }

    /**
     * Re-reads the tokens file and swaps the tokens in if its content changed.
     *
     * @return true if the accepted tokens changed
     */
    public boolean reloadIfChanged() {
        if (file == null) {
            return false;
        }
        try {
            byte[] content = read(file);
            if (Arrays.equals(content, snapshot.fileContent)) {
                return false;
            }
            snapshot = build(content);
            log.info("Reloaded tokens file {}: {} bearer token(s) accepted now", file, snapshot.bySha256.size());
            return true;
        } catch (IllegalArgumentException e) {
            log.error("Tokens file {} not reloaded, keeping the {} token(s) loaded before: {}",
                    file, snapshot.bySha256.size(), e.getMessage());
            return false;
        }
    }

    private Snapshot build(byte[] fileContent) {
        List<TokenGrant> all = new ArrayList<>(configured);
        all.addAll(TokensFileFormat.parse(new String(fileContent, StandardCharsets.UTF_8)));
        Map<String, TokenGrant> bySha256 = new HashMap<>();
        for (TokenGrant grant : all) {
            TokenGrant previous = bySha256.putIfAbsent(grant.sha256(), grant);
            if (previous != null) {
                throw new IllegalArgumentException("tokens '" + previous.name() + "' and '" + grant.name()
                        + "' have the same hash; every token must be distinct");
            }
        }
        return new Snapshot(Map.copyOf(bySha256), fileContent);
    }

    private static byte[] read(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("tokens file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read tokens file " + file + ": " + e, e);
        }
    }
}
