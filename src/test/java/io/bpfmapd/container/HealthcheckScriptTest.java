package io.bpfmapd.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.bpfmapd.testing.Requirement;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docker/healthcheck.sh without Docker: each of its branches (busybox wget, as in the local base;
 * bash's /dev/tcp, as in eclipse-temurin, which has neither wget nor curl) against a local server
 * that answers 200 when ready and 503 when not. busybox and bash are a {@link Requirement}: CI fails
 * without them.
 */
class HealthcheckScriptTest {

    private static final Path SCRIPT = Path.of("docker", "healthcheck.sh").toAbsolutePath();
    private static HttpServer server;

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"wget", "bash"})
    void passesOnlyWhenTheEndpointAnswers200(String tool, @TempDir Path bin) throws Exception {
        Path target = Path.of(tool.equals("wget") ? "/bin/busybox" : "/bin/bash");
        Requirement.require(target.toString(), Files.isExecutable(target),
                "not installed (Debian package " + (tool.equals("wget") ? "busybox-static" : "bash") + ", which .ci/run installs)");
        Files.createSymbolicLink(bin.resolve(tool), target);
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("/bin/sh"));

        int port = server.getAddress().getPort();
        assertThat(run(bin, "http://127.0.0.1:" + port + "/ready")).isZero();
        assertThat(run(bin, "http://127.0.0.1:" + port + "/down")).isNotZero();
        server.stop(0);
        try {
            assertThat(run(bin, "http://127.0.0.1:" + port + "/ready")).as("nothing listening").isNotZero();
        } finally {
            serve();
        }
    }

    /** The script with PATH holding only sh and the one tool, as in a minimal image. */
    private static int run(Path bin, String url) throws Exception {
        var builder = new ProcessBuilder("/bin/sh", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("BPFMAPD_HEALTH_URL", url);
        Process process = builder.start();
        process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("healthcheck finished").isTrue();
        return process.exitValue();
    }
}
