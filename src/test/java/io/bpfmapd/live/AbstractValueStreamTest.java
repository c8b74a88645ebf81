package io.bpfmapd.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfmapd.live.SseClient.Event;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Value streams over real HTTP, the same for every backend: a subclass per backend names it. Intervals
 * of 100 ms; "within two intervals" is asserted with a margin for a loaded CI machine.
 */
abstract class AbstractValueStreamTest {

    /** Two intervals, and the margin a machine shared by many builds needs. */
    static final Duration SOON = Duration.ofSeconds(3);

    @LocalServerPort
    int port;

    @Autowired
    StreamRegistry streams;

    @Autowired
    MeterRegistry meters;

    ApiClient http;
    final List<SseClient> clients = new ArrayList<>();

    abstract String backend();

    @BeforeEach
    void client() {
        http = ApiClient.at(port);
    }

    @AfterEach
    void cleanUp() {
        clients.forEach(SseClient::close);
        List<String> maps = http.get("/api/v1/maps").json("$[*].id");
        maps.forEach(id -> http.delete("/api/v1/maps/" + id));
        await().atMost(SOON).until(() -> streams.readerCount() == 0);
    }

    String createMap(int entries, String flags) {
        Response created = http.post("/api/v1/maps", "{\"backend\": \"" + backend() + "\", \"type\": \"ARRAY\", "
                + "\"valueSize\": 8, \"maxEntries\": " + entries + ", \"flags\": " + flags + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json("$.id");
    }

    SseClient open(String pathAndQuery, String lastEventId) {
        SseClient c = SseClient.open(http.baseUrl(), pathAndQuery, lastEventId);
        clients.add(c);
        return c;
    }

    void write(String map, int index, long value) {
        assertThat(http.put("/api/v1/maps/" + map + "/values/" + index, "{\"u64\": [" + value + "]}").status())
                .isEqualTo(204);
    }

    @Test
    void aSnapshotThenOnlyTheChangedElements_mmapable() {
        snapshotThenChanges("[\"MMAPABLE\"]");
    }

    @Test
    void aSnapshotThenOnlyTheChangedElements_byLookups() {
        snapshotThenChanges("[]");
    }

    private void snapshotThenChanges(String flags) {
        String map = createMap(16, flags);
        write(map, 1, 11);
        SseClient sse = open("/api/v1/maps/" + map + "/values/stream?format=u64&interval=100ms&from=0&count=8", null);
        assertThat(sse.status).as(sse.body).isEqualTo(200);

        Event snapshot = sse.next(SOON);
        assertThat(snapshot.name()).isEqualTo("snapshot");
        assertThat(snapshot.id()).isNotBlank();
        JsonNode s = snapshot.json();
        assertThat(s.get("from").asInt()).isZero();
        assertThat(s.get("count").asInt()).isEqualTo(8);
        assertThat(s.get("format").asString()).isEqualTo("u64");
        assertThat(s.get("values")).hasSize(8);
        assertThat(s.get("values").get(1).get("u64").get(0).asLong()).isEqualTo(11);

        write(map, 3, 7);
        write(map, 12, 5); // outside the window: never streamed
        Event changes = sse.next(SOON);
        assertThat(changes.name()).isEqualTo("changes");
        assertThat(changes.data()).isEqualTo("{\"changes\":[{\"index\":3,\"u64\":[\"7\"]}]}");
        assertThat(changes.id()).isNotEqualTo(snapshot.id());
        // nothing else changed: no further event (only keep-alives, if any)
        Event more = sse.poll(Duration.ofMillis(400));
        assertThat(more == null || more.comment()).as("%s", more).isTrue();
    }

    @Test
    void aReconnectWithLastEventIdGetsTheChangesSinceThen() {
        String map = createMap(16, "[\"MMAPABLE\"]");
        String path = "/api/v1/maps/" + map + "/values/stream?format=u64&interval=100ms";
        SseClient keeper = open(path, null); // keeps the shared reader (and its history) alive
        keeper.next(SOON);
        SseClient first = open(path, null);
        Event snapshot = first.next(SOON);
        write(map, 2, 20);
        Event seen = first.next(SOON);
        first.close();

        write(map, 5, 50);
        write(map, 6, 60);
        String keeperSaw = "";
        while (!keeperSaw.contains("\"index\":6")) { // the reader has read both writes
            keeperSaw = keeper.next(SOON).data();
        }

        SseClient resumed = open(path, seen.id());
        Event next = resumed.next(SOON);
        assertThat(next.name()).isEqualTo("changes");
        assertThat(next.data()).isEqualTo("{\"changes\":[{\"index\":5,\"u64\":[\"50\"]},{\"index\":6,\"u64\":[\"60\"]}]}");

        SseClient unknown = open(path, "feedbeef-3");
        assertThat(unknown.next(SOON).name()).isEqualTo("snapshot");
        SseClient fromSnapshot = open(path, snapshot.id());
        Event since = fromSnapshot.next(SOON);
        assertThat(since.name()).isEqualTo("changes");
        assertThat(since.data()).contains("\"index\":2").contains("\"index\":5").contains("\"index\":6");
    }

    @Test
    void deletingTheMapEndsTheStreamWithTheReason() {
        String map = createMap(4, "[\"MMAPABLE\"]");
        SseClient sse = open("/api/v1/maps/" + map + "/values/stream?interval=100ms", null);
        assertThat(sse.next(SOON).name()).isEqualTo("snapshot");

        assertThat(http.delete("/api/v1/maps/" + map).status()).isEqualTo(204);

        Event end = sse.next(SOON);
        assertThat(end.name()).isEqualTo("end");
        assertThat(end.json().get("reason").asString()).isEqualTo("map deleted");
        await().atMost(SOON).until(sse::ended);
        await().atMost(SOON).until(() -> streams.readerCount() == 0);
    }

    @Test
    void stoppingTheServiceEndsTheStreamCleanly() {
        String map = createMap(4, "[]");
        SseClient sse = open("/api/v1/maps/" + map + "/values/stream?interval=100ms", null);
        assertThat(sse.next(SOON).name()).isEqualTo("snapshot");
        streams.stop(); // what a graceful shutdown runs before the web server stops
        try {
            Event end = sse.next(SOON);
            assertThat(end.name()).isEqualTo("end");
            assertThat(end.json().get("reason").asString()).isEqualTo("shutdown");
            await().atMost(SOON).until(sse::ended);
            assertThat(open("/api/v1/maps/" + map + "/values/stream", null).status).as("no new stream while stopping")
                    .isEqualTo(503);
        } finally {
            streams.start();
        }
    }

    @Test
    void anIdleStreamGetsHeartbeats() {
        String map = createMap(4, "[]");
        SseClient sse = open("/api/v1/maps/" + map + "/values/stream?interval=100ms", null);
        assertThat(sse.next(SOON).name()).isEqualTo("snapshot");
        Event beat = sse.poll(SOON);
        assertThat(beat).isNotNull();
        assertThat(beat.comment()).isTrue();
        assertThat(beat.data()).isEqualTo("keep-alive");
    }

    @Test
    void aHundredSubscribersShareOneReader() {
        String map = createMap(64, "[\"MMAPABLE\"]");
        String path = "/api/v1/maps/" + map + "/values/stream?format=u64&interval=100ms";
        List<SseClient> hundred = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            SseClient c = open(path, null);
            assertThat(c.status).as(c.body).isEqualTo(200);
            hundred.add(c);
        }
        for (SseClient c : hundred) {
            assertThat(c.next(SOON).name()).isEqualTo("snapshot");
        }
        assertThat(streams.readerCount()).isEqualTo(1);
        assertThat(meters.get("bpfmapd.streams.readers").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("bpfmapd.streams.subscribers").tag("kind", "values").gauge().value()).isEqualTo(100.0);

        write(map, 9, 99);
        for (SseClient c : hundred) {
            assertThat(c.next(SOON).data()).isEqualTo("{\"changes\":[{\"index\":9,\"u64\":[\"99\"]}]}");
        }
        hundred.forEach(SseClient::close);
        await().atMost(SOON).until(() -> streams.readerCount() == 0);
    }

    @Test
    void pastMaxSubscribersIsA429LimitProblem() {
        String map = createMap(4, "[]");
        String path = "/api/v1/maps/" + map + "/values/stream?interval=100ms";
        for (int i = 0; i < StreamTestProperties.MAX_SUBSCRIBERS; i++) {
            assertThat(open(path, null).status).isEqualTo(200);
        }
        SseClient refused = open(path, null);
        assertThat(refused.status).isEqualTo(429);
        JsonNode problem = ApiClient.JSON.readTree(refused.body);
        assertThat(problem.get("type").asString()).isEqualTo("urn:bpfmapd:problem:limit-exceeded");
        assertThat(problem.get("errno").asString()).isEqualTo("ENFILE");
        assertThat(problem.get("limit").asString()).isEqualTo("bpfmapd.streams.max-subscribers");
    }

    @Test
    void badWindowsAreRefusedBeforeTheStreamStarts() {
        String map = createMap(4, "[]");
        String base = "/api/v1/maps/" + map + "/values/stream";
        for (String query : List.of("?interval=10ms", "?format=hex&rate=true", "?from=4", "?count=5", "?format=u7",
                "?interval=soon")) {
            SseClient refused = open(base + query, null);
            assertThat(refused.status).as(query).isEqualTo(400);
            assertThat(ApiClient.JSON.readTree(refused.body).get("errno").asString()).as(query).isEqualTo("EINVAL");
        }
        assertThat(open("/api/v1/maps/nope/values/stream", null).status).isEqualTo(404);
        assertThat(streams.readerCount()).isZero();
    }

    @Test
    void rateGivesTheChangePerSecond() {
        String map = createMap(4, "[\"MMAPABLE\"]");
        SseClient sse = open("/api/v1/maps/" + map + "/values/stream?format=u64&interval=100ms&rate=true", null);
        assertThat(sse.next(SOON).name()).isEqualTo("snapshot");
        write(map, 0, 1000);
        JsonNode change = sse.next(SOON).json().get("changes").get(0);
        assertThat(change.get("index").asInt()).isZero();
        assertThat(change.get("rate").get(0).asDouble()).isPositive();
        // the next read sees no change: the rate falls back to 0, sent once
        JsonNode still = sse.next(SOON).json().get("changes").get(0);
        assertThat(still.get("u64").get(0).asLong()).isEqualTo(1000);
        assertThat(still.get("rate").get(0).asDouble()).isZero();
    }
}
