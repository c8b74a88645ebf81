package io.bpfmapd.live;

import io.bpfmapd.testing.TemporaryDataDir;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.live.SseClient.Event;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code GET /api/v1/events} over real HTTP: a map's and its sessions' lives, seen in order. */
@AutoConfigureMetrics
@TemporaryDataDir
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"bpfmapd.sessions.sweep-interval=100ms", StreamTestProperties.HEARTBEAT})
class EmulatedEventsStreamTest {

    private static final Duration SOON = Duration.ofSeconds(5);

    @LocalServerPort
    int port;

    final List<SseClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(SseClient::close);
    }

    @Test
    void mapAndSessionEventsArriveInOrder() {
        ApiClient http = ApiClient.at(port);
        SseClient events = SseClient.open(http.baseUrl(), "/api/v1/events", null);
        clients.add(events);
        assertThat(events.status).isEqualTo(200);
        assertThat(events.poll(SOON).data()).isEqualTo("subscribed"); // the stream is open before we act

        Response created = http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 4, "
                + "\"flags\": [\"MMAPABLE\"]}");
        String map = created.json("$.id");
        String s1 = http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\", \"ttlSeconds\": 60}").json("$.id");
        assertThat(http.post("/api/v1/sessions/" + s1 + "/renew", "{\"ttlSeconds\": 120}").status()).isEqualTo(200);
        assertThat(http.delete("/api/v1/sessions/" + s1).status()).isEqualTo(204);
        String s2 = http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_ONLY\", \"ttlSeconds\": 1}").json("$.id");

        List<Event> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(events.next(SOON)); // ..., session.expired within its 1 s TTL and a sweep
        }
        assertThat(http.post("/api/v1/maps/" + map + "/freeze", null).status()).isEqualTo(200);
        assertThat(http.delete("/api/v1/maps/" + map).status()).isEqualTo(204);
        seen.add(events.next(SOON));
        seen.add(events.next(SOON));

        assertThat(seen).extracting(Event::name).containsExactly("map.created", "session.opened", "session.renewed",
                "session.closed", "session.opened", "session.expired", "map.frozen", "map.deleted");
        assertThat(seen).allSatisfy(e -> assertThat(e.json().get("mapId").asString()).isEqualTo(map));
        assertThat(seen.get(1).json().get("sessionId").asString()).isEqualTo(s1);
        assertThat(seen.get(1).json().get("access").asString()).isEqualTo("READ_WRITE");
        assertThat(seen.get(1).json().get("owner").asString()).isEqualTo("anonymous");
        assertThat(seen.get(5).json().get("sessionId").asString()).isEqualTo(s2);
        assertThat(seen).extracting(Event::id).doesNotHaveDuplicates();

        // a reconnect with Last-Event-ID resumes after it, from the backlog
        SseClient resumed = SseClient.open(http.baseUrl(), "/api/v1/events", seen.get(5).id());
        clients.add(resumed);
        assertThat(resumed.next(SOON).name()).isEqualTo("map.frozen");
        assertThat(resumed.next(SOON).name()).isEqualTo("map.deleted");
    }
}
