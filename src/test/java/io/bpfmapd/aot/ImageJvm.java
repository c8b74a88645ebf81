package io.bpfmapd.aot;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ImageJavaOpts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/**
 * The packaged jar ({@code bpfmapd.it.jar}, set by failsafe) in a child JVM with the JVM options of the
 * image: the {@code JAVA_OPTS} of docker/Dockerfile, read from the file so that the two cannot drift,
 * less the JDK AOT cache, which only the image has. Its output goes to {@code <dir>/<name>.log}.
 */
final class ImageJvm implements AutoCloseable {

    /** The class Spring AOT generates for the application; {@code spring.aot.enabled} runs it. */
    static final String AOT_INITIALIZER = "BOOT-INF/classes/io/bpfmapd/BpfmapdApplication__ApplicationContextInitializer.class";
    private static final Pattern JETTY_PORT = Pattern.compile("Jetty started on port (\\d+)");

    final Process process;
    final Path log;

    private ImageJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("bpfmapd.it.jar", "target/bpfmapd-0.1.0-SNAPSHOT.jar"));
        assertThat(jar).as("the packaged jar: run `./mvnw verify`, which packages it first").isRegularFile();
        return jar;
    }

    static boolean hasAotCode(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(AOT_INITIALIZER) != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image's JAVA_OPTS without {@code -XX:AOTCache}. */
    static List<String> imageJvmOptions() {
        return Arrays.stream(ImageJavaOpts.value().trim().split("\\s+")).filter(o -> !o.startsWith("-XX:AOTCache=")).toList();
    }

    /** Starts the jar with the image's options and {@code jvmArgs}, on a free loopback port, then {@code appArgs}. */
    static ImageJvm start(Path dir, String name, List<String> jvmArgs, List<String> appArgs) throws IOException {
        Path log = dir.resolve(name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(imageJvmOptions());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar().toString(), "--server.port=0", "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off", "--bpfmapd.emulated.data-dir=" + dir.resolve(name + "-data")));
        command.addAll(appArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ImageJvm(process, log);
    }

    /** The port Jetty reports once it listens. */
    int awaitPort(Duration timeout) {
        Instant giveUp = Instant.now().plus(timeout);
        while (true) {
            Matcher m = JETTY_PORT.matcher(logText());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertThat(process.isAlive()).as("the service died at start-up: %s", tail()).isTrue();
            assertThat(Instant.now()).as("not listening after %s: %s", timeout, tail()).isBefore(giveUp);
            sleep(100);
        }
    }

    /** The exit code, once the process ended by itself within {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as("still running after %s: %s", timeout, tail()).isTrue();
        return process.exitValue();
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    String tail() {
        String text = logText();
        return text.substring(Math.max(0, text.length() - 4000));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
