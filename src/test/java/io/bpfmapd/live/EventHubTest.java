package io.bpfmapd.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.map.MapEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The events ring: a subscriber further behind than the backlog loses the oldest, told how many; nothing grows. */
class EventHubTest {

    private static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private static EventHub hub(int backlog) {
        StreamProperties properties = new StreamProperties(Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofSeconds(15), 8, backlog);
        return new EventHub(JSON, new Subscribers(properties, new SimpleMeterRegistry()), properties);
    }

    @Test
    void aSubscriberBehindTheBacklogGetsALostEventThenTheNewest() throws Exception {
        EventHub hub = hub(4);
        long[] sent = {hub.sequence()};
        for (int i = 0; i < 10; i++) {
            hub.on(new MapEvent(MapEvent.Kind.CREATED, "m" + i, Instant.EPOCH));
        }
        List<Frame> frames = hub.next(sent, () -> false, 0);

        assertThat(frames).extracting(Frame::name).containsExactly("lost", "map.created", "map.created", "map.created",
                "map.created");
        assertThat(frames.get(0).data()).isEqualTo("{\"lost\":6}");
        assertThat(frames.get(1).data()).contains("\"mapId\":\"m6\"");
        assertThat(frames.get(4).data()).contains("\"mapId\":\"m9\"");
        assertThat(sent[0]).isEqualTo(10);
        assertThat(hub.next(sent, () -> false, Duration.ofMillis(20).toNanos())).isEmpty(); // caught up: a heartbeat
    }

    @Test
    void aCaughtUpSubscriberGetsEachEventOnceInOrder() throws Exception {
        EventHub hub = hub(16);
        long[] sent = {hub.sequence()};
        hub.on(new MapEvent(MapEvent.Kind.CREATED, "a", Instant.EPOCH));
        hub.on(new MapEvent(MapEvent.Kind.FROZEN, "a", Instant.EPOCH));
        assertThat(hub.next(sent, () -> false, 0)).extracting(Frame::name).containsExactly("map.created", "map.frozen");
        hub.on(new MapEvent(MapEvent.Kind.DELETED, "a", Instant.EPOCH));
        assertThat(hub.next(sent, () -> false, 0)).extracting(Frame::name).containsExactly("map.deleted");
    }

    @Test
    void stopEndsTheStream() throws Exception {
        EventHub hub = hub(16);
        hub.start();
        long[] sent = {hub.sequence()};
        hub.stop();
        List<Frame> frames = hub.next(sent, () -> false, Duration.ofSeconds(5).toNanos());
        assertThat(frames).extracting(Frame::name).containsExactly("end");
        assertThat(frames.get(0).data()).isEqualTo("{\"reason\":\"shutdown\"}");
    }
}
