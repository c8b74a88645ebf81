package io.bpfmapd.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The Java clients generated from the live document, each compiled with its driver
 * (src/test/clients/java: the scenarios once, and each library's {@code Calls}) and loaded in a class loader
 * of its own, whose parent gives it this test's classpath (Jackson, Spring's RestClient).
 */
final class JavaClients {

    /** The packages the clients are generated into: the ones docs/clients.md tells a user to give. */
    static final List<String> PACKAGES = List.of("--api-package", "io.bpfmapd.client.api", "--model-package",
            "io.bpfmapd.client.model", "--invoker-package", "io.bpfmapd.client");
    /** Per library, the options a user gives (docs/clients.md), beyond the packages. */
    static final Map<String, String> OPTIONS = Map.of(
            "native", "useJakartaEe=true,hideGenerationTimestamp=true",
            "restclient", "useSpringBoot4=true,useJackson3=true,useJakartaEe=true,useAbstractionForFiles=true,"
                    + "hideGenerationTimestamp=true");

    static final Path DRIVERS = Path.of("src", "test", "clients", "java").toAbsolutePath();

    private static final Map<String, ClassLoader> BUILT = new ConcurrentHashMap<>();

    private JavaClients() {
    }

    /** The client of {@code library}, generated from {@code document} and compiled with its driver and {@code extra} sources. */
    static synchronized ClassLoader build(Path document, String library, List<Path> extra) {
        return BUILT.computeIfAbsent(library, l -> generateAndCompile(document, l, extra));
    }

    static ClientScenarios scenarios(ClassLoader client) {
        try {
            return (ClientScenarios) client.loadClass("io.bpfmapd.clients.java.Scenarios").getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static ClassLoader generateAndCompile(Path document, String library, List<Path> extra) {
        Path out = LiveDocument.DIR.resolve("java-" + library);
        List<String> options = new ArrayList<>(List.of("--library", library, "--additional-properties",
                OPTIONS.get(library)));
        options.addAll(PACKAGES);
        OpenApiGenerator.generate(document, out, "java", options);
        Path classes = out.resolve("classes");
        List<Path> sources = new ArrayList<>(javaFiles(out.resolve("src/main/java")));
        sources.addAll(javaFiles(DRIVERS.resolve("scenarios")));
        sources.addAll(javaFiles(DRIVERS.resolve(library)));
        sources.addAll(extra);
        compile(sources, classes);
        try {
            return new URLClassLoader(new URL[] {classes.toUri().toURL()}, JavaClients.class.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** javac in this JVM, against this test's classpath; the diagnostics are the failure message. */
    private static void compile(List<Path> sources, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), "-proc:none", "-nowarn", "-encoding", "UTF-8",
                "-Xlint:none", "-Xmaxerrs", "30"));
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Files.createDirectories(classes);
            boolean ok = javac.getTask(diagnostics, files, null, args, null, files.getJavaFileObjectsFromPaths(sources))
                    .call();
            assertThat(ok).as("javac of the generated client:%n%s", diagnostics).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
