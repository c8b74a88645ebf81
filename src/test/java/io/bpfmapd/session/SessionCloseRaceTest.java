package io.bpfmapd.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.config.BackendProperties;
import io.bpfmapd.config.SessionProperties;
import io.bpfmapd.map.CreateMapRequest;
import io.bpfmapd.map.MapService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads and writes racing the close of their session, on the emulated backend's real mappings: each one
 * either completes or fails as "session closed" or "session not found", never anything else.
 */
class SessionCloseRaceTest {

    @TempDir
    Path dataDir;

    @RepeatedTest(5)
    void accessesRacingACloseFailCleanly() throws Exception {
        ApiProperties api = new ApiProperties(1024, 1 << 20);
        try (EmulatedBackend backend = new EmulatedBackend(dataDir, 2, 1L << 30)) {
            MapService maps = new MapService(List.of(backend), new BackendProperties(BackendKind.EMULATED), api,
                    Clock.systemUTC(), new SimpleMeterRegistry());
            SessionRegistry sessions = new SessionRegistry(maps, new SessionProperties(Duration.ofSeconds(60),
                    Duration.ofHours(1), Duration.ofSeconds(1)), api, Clock.systemUTC(), new SimpleMeterRegistry());
            String map = maps.create(new CreateMapRequest("race", MapType.ARRAY, 4, 8, 8192,
                    List.of(MapFlag.MMAPABLE), null, null)).id();
            String sid = sessions.open(map, new OpenSessionRequest(SessionAccess.READ_WRITE, null, null, 60L), "a").id();

            Set<Class<?>> failures = ConcurrentHashMap.newKeySet();
            AtomicInteger completed = new AtomicInteger();
            CountDownLatch running = new CountDownLatch(4);
            List<Thread> threads = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int kind = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    running.countDown();
                    for (int i = 0; i < 100_000; i++) {
                        try {
                            switch (kind) {
                                case 0 -> sessions.read(sid, 0, 65536L);
                                case 1 -> sessions.write(sid, 8 * (i % 8192), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
                                case 2 -> sessions.stream(sid, 0, null).body().writeTo(new ByteArrayOutputStream());
                                default -> sessions.read(sid, 4096, 8L);
                            }
                            completed.incrementAndGet();
                        } catch (SessionClosedException | SessionNotFoundException e) {
                            failures.add(e.getClass());
                            if (e instanceof SessionNotFoundException) {
                                return;
                            }
                        } catch (RuntimeException | IOException e) {
                            failures.add(e.getClass());
                            throw new AssertionError("unexpected failure racing a close", e);
                        }
                    }
                }));
            }
            running.await();
            Thread.sleep(5);
            sessions.close(sid);
            for (Thread t : threads) {
                t.join();
            }

            assertThat(completed).hasPositiveValue();
            assertThat(failures).isSubsetOf(SessionClosedException.class, SessionNotFoundException.class)
                    .contains(SessionNotFoundException.class);
            maps.closeAll();
            assertThat(backend.liveMapCount()).isZero();
        }
    }
}
