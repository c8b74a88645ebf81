package io.bpfmapd.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * The tokens file: one token a line as {@code name:role[,role]:sha256hex}; blank lines and lines
 * starting with {@code #} are ignored. Example:
 * <pre>
 * # principal : roles : sha256 of the token
 * ci-bot:writer:e3dd68c8ea48055f1e275edafdc15d9c1f48d5926c28ae8660dabbee5d4242ac
 * ops:admin:547001965eefce17f94e35fa8bf26af2219de1f0b1fb8fc31a2bed656345009e
 * </pre>
 */
public final class TokensFileFormat {

    private TokensFileFormat() {
    }

    /**
     * @throws IllegalArgumentException naming the first bad line; the message never contains a hash
     */
    public static List<TokenGrant> parse(String text) {
        List<TokenGrant> grants = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                grants.add(parseLine(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tokens file line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return grants;
    }

    private static TokenGrant parseLine(String line) {
        String[] fields = line.split(":", -1);
        if (fields.length != 3) {
            throw new IllegalArgumentException("expected name:role[,role]:sha256hex, found " + fields.length + " fields");
        }
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream(fields[1].split(",")).filter(r -> !r.isBlank()).map(Role::parse).forEach(roles::add);
        return new TokenGrant(fields[0].strip(), roles, fields[2].strip());
    }
}
