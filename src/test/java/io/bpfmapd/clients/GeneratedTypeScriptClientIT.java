package io.bpfmapd.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.testing.TemporaryDataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The {@code typescript-fetch} client generated from the document the running service serves, as a
 * dashboard author generates it (docs/clients.md), compiled with {@code tsc} together with its driver
 * (src/test/clients/typescript/scenarios.ts) and the documented example, and run on Node against the service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TemporaryDataDir
class GeneratedTypeScriptClientIT {

    static final Path DIR = LiveDocument.DIR.resolve("typescript");
    private static String builtFor;

    @Value("${bpfmapd.emulated.data-dir}")
    Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    EmulatedBackend emulated;

    @BeforeEach
    void build() throws IOException {
        OpenApiGenerator.require();
        NodeTools.install();
        synchronized (GeneratedTypeScriptClientIT.class) {
            if (baseUrl().equals(builtFor)) {
                return;
            }
            Path document = LiveDocument.fetch(port);
            OpenApiGenerator.generate(document, DIR.resolve("generated"), "typescript-fetch", List.of());
            for (String file : List.of("tsconfig.json", "globals.d.ts", "scenarios.ts")) {
                Files.copy(NodeTools.SOURCES.resolve(file), DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(DIR.resolve("example.ts"), DocsExamples.example("typescript", baseUrl()));
            new Command(DIR, NodeTools.bin("tsc"), "-p", DIR.resolve("tsconfig.json").toString()).run();
            builtFor = baseUrl();
        }
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    String node(String script, String... args) {
        List<String> argv = new ArrayList<>(List.of("node", DIR.resolve("dist").resolve(script).toString()));
        argv.addAll(List.of(args));
        return new Command(argv, DIR, java.util.Map.of()).run();
    }

    @Test
    void drivesAMapsWholeLife() {
        assertThat(node("scenarios.js", "lifecycle", baseUrl())).contains("lifecycle: passed");
    }

    @Test
    void pinsAndImports() {
        String pin = "agent-typescript";
        try (BpfMap agent = emulated.create(new MapSpec("agent", MapType.ARRAY, 4, 8, 4, 0, false))) {
            agent.update(1, new byte[] {42, 0, 0, 0, 0, 0, 0, 0}, UpdateFlag.ANY);
            agent.pin(dataDir.resolve("pins").resolve(pin));
        }
        assertThat(node("scenarios.js", "import", baseUrl(), pin)).contains("import: passed");
    }

    @Test
    void readsEveryRefusalOfASecuredServiceAsAProblem() {
        try (SecuredService secured = SecuredService.start()) {
            ClientScenarios.Tokens tokens = SecuredService.TOKENS;
            assertThat(node("scenarios.js", "secured", secured.baseUrl(), tokens.reader(), tokens.writer(),
                    tokens.otherWriter(), tokens.admin())).contains("secured: passed");
        }
    }

    /** The TypeScript example of docs/clients.md, compiled and run as written; it prints what the page says. */
    @Test
    void theDocumentedExampleRuns() {
        assertThat(node("example.js")).contains("[ '18446744073709551615' ]")
                .contains("urn:bpfmapd:problem:map-not-found");
        assertThat(DocsExamples.page()).contains("-g typescript-fetch");
    }

    static {
        try {
            Files.createDirectories(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
