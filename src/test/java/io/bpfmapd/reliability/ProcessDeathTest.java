package io.bpfmapd.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.BpfmapdApplication;
import io.bpfmapd.reliability.ApiClient.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a real process on a pinned emulated map (issue 5 §4): SIGKILL loses no acknowledged
 * write, through the syscall path or through a session's mapping, and SIGTERM shuts down gracefully,
 * releasing every session, with the data there after a restart on the same data directory.
 */
class ProcessDeathTest {

    @TempDir
    Path data;

    /** One child JVM running the service on a port of its own, its output in a file. */
    final class Service implements AutoCloseable {
        final Process process;
        final Path log;
        final ApiClient api;

        Service(String name) throws IOException {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            log = data.resolve(name + ".log");
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    BpfmapdApplication.class.getName(), "--server.port=" + port,
                    "--bpfmapd.emulated.data-dir=" + data.resolve("data"), "--bpfmapd.kernel.enabled=false",
                    "--spring.main.banner-mode=off", "--bpfmapd.sessions.default-ttl=10m"));
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            api = new ApiClient(ApiClient.newHttp(), port, null);
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

        int kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return process.exitValue();
        }

        int terminate() throws InterruptedException {
            process.destroy(); // SIGTERM: Spring's shutdown hook, graceful
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("graceful shutdown took too long").isTrue();
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    void sigkillLosesNoAcknowledgedWriteAndSigtermReleasesEverySession() throws Exception {
        String map;
        Map<Integer, Long> acknowledged = new LinkedHashMap<>();
        try (Service first = new Service("first")) {
            Response created = first.api.postJson("/api/v1/maps", "{\"name\": \"durable\", \"type\": \"ARRAY\", "
                    + "\"valueSize\": 8, \"maxEntries\": 1024, \"flags\": [\"MMAPABLE\"], \"backend\": \"EMULATED\"}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            map = created.json().get("id").asString();
            assertThat(first.api.postJson("/api/v1/maps/" + map + "/pin", "{\"path\": \"durable\"}").status()).isEqualTo(200);
            Response session = first.api.postJson("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\"}");
            assertThat(session.status()).isEqualTo(201);
            String sid = session.json().get("id").asString();
            for (int i = 0; i < 200; i++) {
                long value = 0x5eed_0000_0000L + i;
                Response r = i % 2 == 0
                        ? first.api.putJson("/api/v1/maps/" + map + "/values/" + i, "{\"u64\": [" + value + "]}")
                        : first.api.putJson("/api/v1/sessions/" + sid + "/memory?offset=" + i * 8, "{\"u64\": [" + value + "]}");
                if (r.status() == 204) {
                    acknowledged.put(i, value);
                }
            }
            assertThat(acknowledged).hasSize(200);
            assertThat(first.kill()).isEqualTo(137);
        }

        try (Service second = new Service("second")) {
            assertThat(second.api.get("/api/v1/maps/" + map).status()).as("the pinned map is back under its id").isEqualTo(200);
            for (Map.Entry<Integer, Long> e : acknowledged.entrySet()) {
                Response r = second.api.get("/api/v1/maps/" + map + "/values/" + e.getKey() + "?format=u64");
                assertThat(r.json().get("u64").get(0).asLong()).as("value %d after SIGKILL", e.getKey())
                        .isEqualTo(e.getValue());
            }
            assertThat(second.api.get("/api/v1/sessions").json().size()).as("sessions do not outlive a process").isZero();
            // Sessions open at SIGTERM are released by the graceful shutdown, and writes stay.
            for (int s = 0; s < 3; s++) {
                assertThat(second.api.postJson("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\"}")
                        .status()).isEqualTo(201);
            }
            assertThat(second.api.putJson("/api/v1/maps/" + map + "/values/1000", "{\"u64\": [4242]}").status())
                    .isEqualTo(204);
            Instant stopping = Instant.now();
            int exit = second.terminate();
            Duration shutdown = Duration.between(stopping, Instant.now());
            assertThat(exit).as(second.tail()).isIn(0, 143);
            assertThat(second.tail()).contains("released 3 open sessions at shutdown");
            System.out.printf("process death: %d acknowledged writes survived SIGKILL; SIGTERM released 3 sessions "
                    + "in %d ms%n", acknowledged.size(), shutdown.toMillis());
        }

        try (Service third = new Service("third")) {
            Response r = third.api.get("/api/v1/maps/" + map + "/values/1000?format=u64");
            assertThat(r.json().get("u64").get(0).asLong()).isEqualTo(4242);
            // the map is frozen only if nothing writable is left: no session survived the restart
            assertThat(third.api.postJson("/api/v1/maps/" + map + "/freeze", "{}").status()).isEqualTo(200);
            third.terminate();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
