package io.bpfmapd.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.testing.DirectoryTree;
import io.bpfmapd.testing.TemporaryDataDir;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A sidecar that starts before its agent: a view of the configuration names a pin nobody has made yet.
 * It is declared, waiting (not skipped); once bpftool, the agent here, pins the map under the watched
 * glob, the watcher imports it and the view's series appear; when the pin goes they go, and when the agent
 * pins a new map there they come back with the new map's values.
 */
@RequiresKernel
@TemporaryDataDir
@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KernelViewFollowsPinsTest {

    static Path root;

    @LocalServerPort
    int port;

    @BeforeAll
    static void bpffs() throws IOException {
        Bpftool.require();
        root = Files.createDirectory(PinDir.path("view_follows"));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (root != null) {
            DirectoryTree.delete(root);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("bpfmapd.kernel.bpffs-root", () -> root.toString());
        registry.add("bpfmapd.kernel.watch[0]", () -> "agent/*");
        registry.add("bpfmapd.kernel.watch-interval", () -> "100ms");
        registry.add("bpfmapd.exports.views[0].name", () -> "events");
        registry.add("bpfmapd.exports.views[0].map", () -> "agent/events");
        registry.add("bpfmapd.exports.views[0].metric", () -> "agent_events_total");
        registry.add("bpfmapd.exports.views[0].type", () -> "counter");
    }

    @Test
    void aConfiguredViewWaitsForItsPinAndFollowsItAsItGoesAndComesBack() throws IOException {
        ApiClient api = ApiClient.at(port);
        var waiting = api.get("/api/v1/exports/events");
        assertThat(waiting.status()).as("declared though its map is not held").isEqualTo(200);
        assertThat(waiting.<Boolean>json("$.up")).isFalse();
        assertThat(waiting.<String>json("$.error")).contains("waiting for map agent/events");
        assertThat(scrape(api)).contains("bpfmapd_export_up{view=\"events\"} 0.0").doesNotContain("agent_events_total{");

        Path pin = Files.createDirectories(root.resolve("agent")).resolve("events");
        agentPins(pin, 2, 41);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape(api))
                .contains("agent_events_total{index=\"2\"} 41.0")
                .contains("agent_events_total{index=\"0\"} 0.0")
                .contains("bpfmapd_export_up{view=\"events\"} 1.0"));

        Files.delete(pin);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape(api))
                .doesNotContain("agent_events_total{")
                .contains("bpfmapd_export_up{view=\"events\"} 0.0"));

        agentPins(pin, 3, 7);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape(api))
                .contains("agent_events_total{index=\"3\"} 7.0")
                .contains("agent_events_total{index=\"2\"} 0.0")
                .contains("bpfmapd_export_up{view=\"events\"} 1.0"));
        assertThat(api.get("/api/v1/exports/events").<Integer>json("$.series")).isEqualTo(4);

        // the agent goes for good: the service lets go of its map (no fd left behind the test)
        Files.delete(pin);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(api.get("/api/v1/maps").<java.util.List<?>>json("$")).isEmpty());
    }

    private static void agentPins(Path pin, int index, long value) {
        Bpftool.run("map", "create", pin.toString(), "type", "array", "key", "4", "value", "8", "entries", "4",
                "name", "events", "flags", "1024");
        Bpftool.update(pin, index, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    private static String scrape(ApiClient api) {
        return api.get("/actuator/prometheus", "text/plain").body();
    }
}
