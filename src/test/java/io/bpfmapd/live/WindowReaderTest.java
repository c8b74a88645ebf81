package io.bpfmapd.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.map.ValueFormat;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared reader without HTTP: a subscriber that does not read while the window changes many times
 * holds nothing but its position, and when it reads gets one event with each changed element once, at
 * its latest value (pending changes merged by index, never queued).
 */
class WindowReaderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int COUNT = 64;

    /** A window of u64 counters; each read, the element the counter names goes up by one. */
    private static final class Counters implements ElementSource {
        final long[] values = new long[COUNT];
        final AtomicLong reads = new AtomicLong();

        @Override
        public int valueLength() {
            return 8;
        }

        @Override
        public void read(byte[] dst) {
            reads.incrementAndGet();
            for (int k = 0; k < COUNT; k++) {
                for (int b = 0; b < 8; b++) {
                    dst[k * 8 + b] = (byte) (values[k] >>> (8 * b));
                }
            }
        }

        @Override
        public boolean mapped() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static WindowReader reader(Counters source, boolean rate) {
        return new WindowReader(new WindowKey("m", 0, COUNT, ValueFormat.U64, rate, Duration.ofMillis(100)), source, JSON);
    }

    @Test
    void aSubscriberThatNeverReadsIsSentTheLatestStateOnceNotAQueue() throws Exception {
        Counters source = new Counters();
        WindowReader reader = reader(source, false);
        WindowReader.Start start = reader.start(null);
        assertThat(start.snapshot().name()).isEqualTo("snapshot");

        for (int tick = 0; tick < 10_000; tick++) { // 10,000 intervals the subscriber never read
            source.values[tick % 3]++;
            reader.tick();
        }
        assertThat(reader.sequence()).isEqualTo(10_000);

        WindowReader.Next next = reader.next(start.sequence(), Duration.ofSeconds(1).toNanos(), () -> false);
        JsonNode changes = JSON.readTree(next.frame().data()).get("changes");
        assertThat(changes).hasSize(3); // elements 0, 1, 2: once each, however often they changed
        assertThat(changes.get(0).get("u64").get(0).asLong()).isEqualTo(3334);
        assertThat(changes.get(1).get("u64").get(0).asLong()).isEqualTo(3333);
        assertThat(changes.get(2).get("u64").get(0).asLong()).isEqualTo(3333);
        assertThat(next.sequence()).isEqualTo(10_000);
        assertThat(next.frame().id()).isEqualTo(reader.eventId(10_000));
    }

    @Test
    void aCaughtUpSubscriberGetsTheSharedFrame() throws Exception {
        Counters source = new Counters();
        WindowReader reader = reader(source, false);
        long at = reader.start(null).sequence();
        source.values[5] = 42;
        reader.tick();
        WindowReader.Next a = reader.next(at, Duration.ofSeconds(1).toNanos(), () -> false);
        WindowReader.Next b = reader.next(at, Duration.ofSeconds(1).toNanos(), () -> false);
        assertThat(a.frame()).isSameAs(b.frame()); // encoded once for every subscriber
        assertThat(a.frame().data()).isEqualTo("{\"changes\":[{\"index\":5,\"u64\":[\"42\"]}]}");
    }

    @Test
    void subscribersJoiningBetweenTwoChangesShareOneSnapshot() {
        Counters source = new Counters();
        WindowReader reader = reader(source, false);
        WindowReader.Start a = reader.start(null);
        assertThat(reader.start(null).snapshot()).isSameAs(a.snapshot());
        source.values[0] = 1;
        reader.tick();
        WindowReader.Start b = reader.start(null);
        assertThat(b.snapshot()).isNotSameAs(a.snapshot());
        assertThat(b.snapshot().data()).contains("{\"index\":0,\"u64\":[\"1\"]}");
        assertThat(b.sequence()).isEqualTo(1);
    }

    @Test
    void noChangeNoEventAndAHeartbeatWhenIdle() throws Exception {
        Counters source = new Counters();
        WindowReader reader = reader(source, false);
        long at = reader.start(null).sequence();
        reader.tick();
        reader.tick();
        assertThat(reader.sequence()).isZero();
        WindowReader.Next idle = reader.next(at, Duration.ofMillis(50).toNanos(), () -> false);
        assertThat(idle.frame()).isNull();
    }

    @Test
    void endIsSentAfterThePendingChanges() throws Exception {
        Counters source = new Counters();
        WindowReader reader = reader(source, false);
        long at = reader.start(null).sequence();
        source.values[1] = 1;
        reader.tick();
        reader.end(StreamRegistry.MAP_DELETED);
        WindowReader.Next changes = reader.next(at, Duration.ofSeconds(1).toNanos(), () -> false);
        assertThat(changes.frame().name()).isEqualTo("changes");
        WindowReader.Next end = reader.next(changes.sequence(), Duration.ofSeconds(1).toNanos(), () -> false);
        assertThat(end.frame().name()).isEqualTo("end");
        assertThat(end.frame().data()).isEqualTo("{\"reason\":\"map deleted\"}");
        reader.tick();
        assertThat(source.reads).hasValue(2); // an ended reader reads no more
    }
}
