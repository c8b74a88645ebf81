package io.bpfmapd.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a real process on a pinned emulated map: SIGKILL loses no acknowledged
 * write, through the syscall path or through a session's mapping, and SIGTERM shuts down gracefully,
 * releasing every session, with the data there after a restart on the same data directory.
 */
class ProcessDeathTest {

    @TempDir
    Path data;

    @Test
    void sigkillLosesNoAcknowledgedWriteAndSigtermReleasesEverySession() throws Exception {
        String map;
        Map<Integer, Long> acknowledged = new LinkedHashMap<>();
        try (ServiceProcess first = new ServiceProcess(data, "first")) {
            Response created = first.api.post("/api/v1/maps", "{\"name\": \"durable\", \"type\": \"ARRAY\", "
                    + "\"valueSize\": 8, \"maxEntries\": 1024, \"flags\": [\"MMAPABLE\"], \"backend\": \"EMULATED\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            map = created.json().get("id").asString();
            assertThat(first.api.post("/api/v1/maps/" + map + "/pin", "{\"path\": \"durable\"}").status()).isEqualTo(200);
            Response session = first.api.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\"}");
            assertThat(session.status()).isEqualTo(201);
            String sid = session.json().get("id").asString();
            for (int i = 0; i < 200; i++) {
                long value = 0x5eed_0000_0000L + i;
                Response r = i % 2 == 0
                        ? first.api.put("/api/v1/maps/" + map + "/values/" + i, "{\"u64\": [" + value + "]}")
                        : first.api.put("/api/v1/sessions/" + sid + "/memory?offset=" + i * 8, "{\"u64\": [" + value + "]}");
                if (r.status() == 204) {
                    acknowledged.put(i, value);
                }
            }
            assertThat(acknowledged).hasSize(200);
            assertThat(first.kill()).isEqualTo(137);
        }

        try (ServiceProcess second = new ServiceProcess(data, "second")) {
            assertThat(second.api.get("/api/v1/maps/" + map).status()).as("the pinned map is back under its id").isEqualTo(200);
            for (Map.Entry<Integer, Long> e : acknowledged.entrySet()) {
                Response r = second.api.get("/api/v1/maps/" + map + "/values/" + e.getKey() + "?format=u64");
                assertThat(r.json().get("u64").get(0).asLong()).as("value %d after SIGKILL", e.getKey())
                        .isEqualTo(e.getValue());
            }
            assertThat(second.api.get("/api/v1/sessions").json().size()).as("sessions do not outlive a process").isZero();
            // Sessions open at SIGTERM are released by the graceful shutdown, and writes stay.
            for (int s = 0; s < 3; s++) {
                assertThat(second.api.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\"}")
                        .status()).isEqualTo(201);
            }
            assertThat(second.api.put("/api/v1/maps/" + map + "/values/1000", "{\"u64\": [4242]}").status())
                    .isEqualTo(204);
            Instant stopping = Instant.now();
            int exit = second.terminate();
            Duration shutdown = Duration.between(stopping, Instant.now());
            // 128 + SIGTERM: the JVM's status for a process ended by the signal, after its shutdown hooks
            // (Spring's graceful shutdown) ran to the end; docs/operations.md, "Stopping".
            assertThat(exit).as(second.tail()).isEqualTo(ServiceProcess.SIGTERM_EXIT);
            assertThat(second.tail()).contains("released 3 open sessions at shutdown");
            System.out.printf("process death: %d acknowledged writes survived SIGKILL; SIGTERM released 3 sessions "
                    + "in %d ms%n", acknowledged.size(), shutdown.toMillis());
        }

        try (ServiceProcess third = new ServiceProcess(data, "third")) {
            Response r = third.api.get("/api/v1/maps/" + map + "/values/1000?format=u64");
            assertThat(r.json().get("u64").get(0).asLong()).isEqualTo(4242);
            // the map is frozen only if nothing writable is left: no session survived the restart
            assertThat(third.api.post("/api/v1/maps/" + map + "/freeze", "{}").status()).isEqualTo(200);
            third.terminate();
        }
    }
}
