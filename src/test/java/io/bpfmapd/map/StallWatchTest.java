package io.bpfmapd.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StallWatchTest {

    final StallWatch stallWatch = new StallWatch(Duration.ofMillis(200));
    final AtomicInteger stalls = new AtomicInteger();

    @AfterEach
    void stop() {
        stallWatch.close();
    }

    @Test
    void aBodyThatWritesNothingForTheTimeoutIsGivenUpOnce() {
        StallWatch.Watch watch = stallWatch.start(stalls::incrementAndGet);
        await().atMost(Duration.ofSeconds(2)).until(watch::stalled);
        sleep(600);
        assertThat(stalls).hasValue(1);
    }

    @Test
    void writesThatKeepReturningAreProgress() throws IOException {
        StallWatch.Watch watch = stallWatch.start(stalls::incrementAndGet);
        OutputStream out = watch.wrap(new ByteArrayOutputStream());
        for (int i = 0; i < 10; i++) { // 1 s in all, five timeouts, never 200 ms without a write
            sleep(100);
            out.write(new byte[16], 0, 16);
        }
        watch.close();
        sleep(400);
        assertThat(watch.stalled()).isFalse();
        assertThat(stalls).hasValue(0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
