package io.bpfmapd.clients;

import io.bpfmapd.testing.DirectoryTree;
import io.bpfmapd.testing.Requirement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * openapi-generator's command line, the jar the build copies from Maven Central (pom.xml, property
 * {@code openapi-generator.version}), run in a JVM of its own so that its libraries never meet the service's.
 */
final class OpenApiGenerator {

    static final Path JAR = Path.of(System.getProperty("bpfmapd.openapi-generator.jar",
            "target/tools/openapi-generator-cli.jar")).toAbsolutePath();

    private OpenApiGenerator() {
    }

    static void require() {
        Requirement.require("openapi-generator", Files.isRegularFile(JAR),
                "no jar at " + JAR + " (./mvnw generate-test-resources copies it from the Maven repository)");
    }

    /** The generator's own validation of the document, as {@code generate} runs it first. */
    static String validate(Path document) {
        return new Command(document.getParent(), java(), "-jar", JAR.toString(), "validate", "-i",
                document.toString()).run();
    }

    /**
     * Generates a client of {@code generator} into {@code out} (emptied first), with the options a user
     * would give on the command line; only the client's sources, no docs or test stubs.
     */
    static void generate(Path document, Path out, String generator, List<String> options) {
        deleteRecursively(out);
        List<String> argv = new ArrayList<>(List.of(java(), "-jar", JAR.toString(), "generate",
                "-i", document.toString(), "-g", generator, "-o", out.toString(),
                "--global-property", "apiTests=false,modelTests=false,apiDocs=false,modelDocs=false"));
        argv.addAll(options);
        new Command(argv, document.getParent(), java.util.Map.of()).run();
    }

    /** The java of this JVM: the generator needs 11+, and the test JVM is 25. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static void deleteRecursively(Path dir) {
        try {
            DirectoryTree.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
