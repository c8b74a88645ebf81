package io.bpfmapd.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.BpfmapdApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service as a child JVM on a port of its own, on the emulated backend with its data under
 * {@code dir}, its output in {@code <dir>/<name>.log}: for tests of what signals do to the process.
 */
final class ServiceProcess implements AutoCloseable {

    /** What the JVM exits with after SIGTERM once its shutdown hooks are done: 128 + 15. */
    static final int SIGTERM_EXIT = 143;

    final Process process;
    final Path log;
    final int port;
    final ApiClient api;

    ServiceProcess(Path dir, String name) throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        log = dir.resolve(name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                BpfmapdApplication.class.getName(), "--server.port=" + port,
                "--bpfmapd.emulated.data-dir=" + dir.resolve("data"), "--bpfmapd.kernel.enabled=false",
                "--spring.main.banner-mode=off", "--bpfmapd.sessions.default-ttl=10m"));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        api = ApiClient.at(port);
        Instant giveUp = Instant.now().plusSeconds(90);
        while (true) {
            assertThat(process.isAlive()).as("the service died at startup: %s", tail()).isTrue();
            assertThat(Instant.now()).as("no health after 90 s: %s", tail()).isBefore(giveUp);
            try {
                if (api.get("/actuator/health/liveness").status() == 200) {
                    return;
                }
            } catch (IllegalStateException notYetListening) {
                // connection refused until Tomcat listens
            }
            sleep(200);
        }
    }

    String tail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hook, no flush. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    /** SIGTERM: Spring's shutdown hook, graceful; then the JVM exits {@link #SIGTERM_EXIT}. */
    int terminate() throws InterruptedException {
        process.destroy();
        return awaitExit();
    }

    int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("graceful shutdown took too long").isTrue();
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
