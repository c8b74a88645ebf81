package io.bpfmapd.clients;

import io.bpfmapd.BpfmapdApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second service for the clients, with tokens (one per role and a second writer) and one session per
 * principal, so that 401, both 403s and a 429 can be had; started for a test and closed after it.
 */
final class SecuredService implements AutoCloseable {

    static final ClientScenarios.Tokens TOKENS = new ClientScenarios.Tokens("reader-token", "writer-token",
            "writer2-token", "admin-token");

    private final ConfigurableApplicationContext context;

    private SecuredService(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static SecuredService start() {
        try {
            Path dir = Files.createDirectories(LiveDocument.DIR.resolve("secured-" + ProcessHandle.current().pid()));
            Path tokens = Files.writeString(dir.resolve("tokens"), line("ops", "reader", TOKENS.reader())
                    + line("bot", "writer", TOKENS.writer()) + line("bot2", "writer", TOKENS.otherWriter())
                    + line("root", "admin", TOKENS.admin()));
            return new SecuredService(new SpringApplicationBuilder(BpfmapdApplication.class).properties(
                    "server.port=0",
                    "server.address=127.0.0.1",
                    "bpfmapd.security.tokens-file=" + tokens,
                    "bpfmapd.limits.max-sessions-per-principal=1",
                    "bpfmapd.emulated.data-dir=" + dir.resolve("data")).run());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    @Override
    public void close() {
        context.close();
    }

    private static String line(String name, String role, String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return name + ":" + role + ":" + HexFormat.of().formatHex(hash) + "\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
