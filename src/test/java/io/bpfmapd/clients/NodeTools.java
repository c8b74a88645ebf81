package io.bpfmapd.clients;

import io.bpfmapd.testing.Requirement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Node, npm and the packages the client tests take from npm (src/test/clients/typescript/package.json and
 * its lock: tsc and Redocly's linter), installed with {@code npm ci} into target/clients/node once per build.
 */
final class NodeTools {

    static final Path SOURCES = Path.of("src", "test", "clients", "typescript").toAbsolutePath();
    static final Path HOME = LiveDocument.DIR.resolve("node");
    /** No telemetry and no update check: the linter's only network use, and none a test may depend on. */
    static final Map<String, String> QUIET = Map.of("REDOCLY_TELEMETRY", "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE",
            "true", "NO_UPDATE_NOTIFIER", "1", "npm_config_fund", "false", "npm_config_audit", "false");

    private NodeTools() {
    }

    /** Node and npm on the PATH (Debian's nodejs and npm; .ci/run installs them), and the packages installed. */
    static synchronized void install() {
        Requirement.require("node and npm", Command.onPath("node") && Command.onPath("npm"),
                "install Debian's nodejs and npm (apt-get install nodejs npm), as .ci/run does");
        try {
            Files.createDirectories(HOME);
            Path lock = SOURCES.resolve("package-lock.json");
            Path installed = HOME.resolve("node_modules/.package-lock.json");
            if (Files.exists(installed) && Files.exists(HOME.resolve("package-lock.json"))
                    && Files.mismatch(lock, HOME.resolve("package-lock.json")) == -1) {
                return;
            }
            Files.copy(SOURCES.resolve("package.json"), HOME.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(lock, HOME.resolve("package-lock.json"), StandardCopyOption.REPLACE_EXISTING);
            new Command(HOME, "npm", "ci", "--no-audit", "--no-fund").withEnv(QUIET).run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A program of an installed package: {@code tsc}, {@code redocly}. */
    static String bin(String name) {
        return HOME.resolve("node_modules/.bin").resolve(name).toString();
    }
}
