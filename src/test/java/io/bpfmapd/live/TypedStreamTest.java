package io.bpfmapd.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfmapd.live.SseClient.Event;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A value stream with format=typed: the snapshot and the changes carry typed values; rate=true, which
 * counts integers, refuses typed; a map without BTF refuses it before the stream starts. The stream reads
 * bytes as for any format, so the emulated backend stands for both.
 */
@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {StreamTestProperties.HEARTBEAT, StreamTestProperties.LIMIT,
                "bpfmapd.emulated.data-dir=target/live-typed-data"})
class TypedStreamTest {

    private static final Duration SOON = Duration.ofSeconds(3);

    @LocalServerPort
    int port;

    @Autowired
    StreamRegistry streams;

    private ApiClient http;
    private SseClient sse;

    @BeforeEach
    void client() {
        http = ApiClient.at(port);
    }

    @AfterEach
    void cleanUp() {
        if (sse != null) {
            sse.close();
        }
        List<String> maps = http.get("/api/v1/maps").json("$[*].id");
        maps.forEach(id -> http.delete("/api/v1/maps/" + id));
        await().atMost(SOON).until(() -> streams.readerCount() == 0);
    }

    @Test
    void snapshotAndChangesAreTyped() {
        Response created = http.post("/api/v1/maps", """
                {"backend": "EMULATED", "type": "ARRAY", "maxEntries": 4, "flags": ["MMAPABLE"], "valueType":
                 {"kind": "struct", "name": "c", "fields": [{"name": "n", "type": {"kind": "u64"}},
                  {"name": "tag", "type": {"kind": "char", "length": 4}}]}}""");
        String map = created.json("$.id");
        http.put("/api/v1/maps/" + map + "/values/1", "{\"typed\": {\"n\": 11, \"tag\": \"ab\"}}");

        sse = SseClient.open(http.baseUrl(), "/api/v1/maps/" + map + "/values/stream?format=typed&interval=100ms", null);
        assertThat(sse.status).as(sse.body).isEqualTo(200);
        Event snapshot = sse.next(SOON);
        assertThat(snapshot.name()).isEqualTo("snapshot");
        assertThat(snapshot.json().get("format").asString()).isEqualTo("typed");
        assertThat(snapshot.json().get("values").get(1).get("typed"))
                .isEqualTo(ApiClient.JSON.readTree("{\"n\":\"11\",\"tag\":\"ab\"}"));

        http.put("/api/v1/maps/" + map + "/values/2", "{\"typed\": {\"n\": 7}}");
        Event changes = sse.next(SOON);
        assertThat(changes.name()).isEqualTo("changes");
        assertThat(changes.data()).isEqualTo("{\"changes\":[{\"index\":2,\"typed\":{\"n\":\"7\",\"tag\":\"\"}}]}");

        Response rate = http.get("/api/v1/maps/" + map + "/values/stream?format=typed&rate=true", "text/event-stream");
        assertThat(rate.status()).as(rate.toString()).isEqualTo(400);
        assertThat(rate.<String>json("$.errno")).isEqualTo("EINVAL");
        assertThat(rate.<String>json("$.detail")).contains("rate=true needs an integer format");
    }

    @Test
    void aMapWithoutBtfIsRefusedBeforeTheStreamStarts() {
        String map = http.post("/api/v1/maps", "{\"backend\": \"EMULATED\", \"type\": \"ARRAY\", \"valueSize\": 8, "
                + "\"maxEntries\": 4}").json("$.id");
        Response r = http.get("/api/v1/maps/" + map + "/values/stream?format=typed", "text/event-stream");
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.<String>json("$.errno")).isEqualTo("EINVAL");
        assertThat(r.<String>json("$.detail")).contains("format=typed needs the map's BTF value type");
    }
}
