package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.MappingClosedException;
import io.bpfmapd.backend.UpdateFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Races watched from inside: a monitor thread samples the map's state while mappers, unmappers,
 * updaters and a freezer run, and must never see it frozen with a writable mapping or a negative
 * writecnt. Then syscalls racing the backend's shutdown get data or EBADF, never a crash.
 */
class EmulatedConcurrencyTest {

    @TempDir
    Path dataDir;

    @Test
    void noSampleEverSeesAFrozenMapWithAWritableMapping() throws Exception {
        try (EmulatedBackend backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES)) {
            for (int round = 0; round < 10; round++) {
                EmulatedMap map = (EmulatedMap) backend.create(new MapSpec("race", MapType.ARRAY, 4, 8, 1024,
                        MapFlag.MMAPABLE.bit(), false));
                MapState state = map.state();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger violations = new AtomicInteger();
                ExecutorService pool = Executors.newFixedThreadPool(6);
                List<Future<?>> workers = new ArrayList<>();
                workers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        // frozen first: once frozen, no writable mapping may exist from then on.
                        boolean frozen = state.frozen();
                        if ((frozen && state.info().writableMappings() > 0) || state.writecnt() < 0) {
                            violations.incrementAndGet();
                        }
                    }
                    return null;
                }));
                for (int t = 0; t < 3; t++) {
                    workers.add(pool.submit(() -> {
                        for (int i = 0; i < 300; i++) {
                            try (Mapping m = map.mmap(0, 4096, true)) {
                                m.writeLong(0, i);
                            } catch (BpfException e) {
                                assertThat(e.errno()).isEqualTo(Errno.EPERM);
                            }
                        }
                        return null;
                    }));
                }
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        try {
                            map.update(1, new byte[8], UpdateFlag.ANY);
                        } catch (BpfException e) {
                            assertThat(e.errno()).isEqualTo(Errno.EPERM);
                        }
                    }
                    return null;
                }));
                workers.add(pool.submit(() -> {
                    while (!state.frozen()) {
                        try {
                            map.freeze();
                        } catch (BpfException e) {
                            assertThat(e.errno()).isIn(Errno.EBUSY, Errno.EPERM);
                        }
                    }
                    return null;
                }));
                for (Future<?> f : workers.subList(1, workers.size())) {
                    f.get(60, TimeUnit.SECONDS);
                }
                stop.set(true);
                workers.getFirst().get(10, TimeUnit.SECONDS);
                pool.shutdown();
                assertThat(violations.get()).isZero();
                assertThat(state.writecnt()).isZero();
                assertThat(state.frozen()).isTrue();
                map.close();
                assertThat(state.isFreed()).isTrue();
            }
            assertThat(backend.liveMapCount()).isZero();
        }
    }

    @Test
    void syscallsRacingBackendShutdownGetDataOrEbadf() throws Exception {
        for (int round = 0; round < 20; round++) {
            EmulatedBackend backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
            EmulatedMap map = (EmulatedMap) backend.create(new MapSpec("race", MapType.ARRAY, 4, 64, 4096,
                    MapFlag.MMAPABLE.bit(), false));
            Mapping m = map.mmap(0, 64 * 4096, false);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            AtomicInteger clean = new AtomicInteger();
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean viaMapping = t % 2 == 0;
                readers.add(pool.submit(() -> {
                    byte[] buf = new byte[64 * 4096];
                    while (true) {
                        try {
                            if (viaMapping) {
                                m.read(0, buf, 0, buf.length);
                            } else {
                                map.lookup(4095);
                            }
                        } catch (io.bpfmapd.backend.MappingClosedException e) {
                            clean.incrementAndGet();
                            return null;
                        } catch (BpfException e) {
                            assertThat(e.errno()).isEqualTo(Errno.EBADF);
                            clean.incrementAndGet();
                            return null;
                        }
                    }
                }));
            }
            Thread.sleep(5);
            backend.close();
            for (Future<?> f : readers) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(clean.get()).isEqualTo(4);
            assertThat(map.state().isFreed()).isTrue();
        }
    }

    @Test
    void mmapsRacingBackendShutdownGetAMappingThatFailsCleanlyOrEbadf() throws Exception {
        for (int round = 0; round < 50; round++) {
            EmulatedBackend backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
            EmulatedMap map = (EmulatedMap) backend.create(new MapSpec("race", MapType.ARRAY, 4, 8, 512,
                    MapFlag.MMAPABLE.bit(), false));
            ExecutorService pool = Executors.newFixedThreadPool(3);
            CountDownLatch mapping = new CountDownLatch(3);
            List<Future<?>> mappers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                mappers.add(pool.submit(() -> {
                    mapping.countDown();
                    while (true) {
                        Mapping m;
                        try {
                            m = map.mmap(0, 4096, true);
                        } catch (BpfException e) {
                            assertThat(e.errno()).isEqualTo(Errno.EBADF);
                            return null;
                        }
                        try (m) {
                            // A mapping made as the map was freed would read unmapped pages here: a SIGSEGV.
                            m.writeLong(8, m.readLong(0) + 1);
                        } catch (io.bpfmapd.backend.MappingClosedException closedByShutdown) {
                            // the shutdown unmapped it first
                        }
                    }
                }));
            }
            mapping.await();
            backend.close();
            for (Future<?> f : mappers) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(map.state().isFreed()).isTrue();
            assertThat(backend.liveMapCount()).isZero();
        }
    }

    /**
     * Reads through mappings, closes of the mappings and the backend's shutdown, raced many times. A
     * mapping another thread is closing as the shutdown passes must be unmapped before the map's memory
     * goes (the shutdown waits for that close), every reference is released exactly once, and a read
     * either gets the bytes or MappingClosedException.
     */
    @Test
    void readsClosesAndShutdownRacingNeverOutliveTheMemory() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            int rounds = 0;
            while (rounds < 300 && (rounds < 20 || System.nanoTime() < deadline)) {
                rounds++;
                EmulatedBackend backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
                EmulatedMap map = (EmulatedMap) backend.create(new MapSpec("race", MapType.ARRAY, 4, 8, 4096,
                        MapFlag.MMAPABLE.bit(), false));
                List<Mapping> mappings = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    mappings.add(map.mmap(i * 4096L, 4096, i % 2 == 0));
                }
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> workers = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    workers.add(pool.submit(() -> {
                        start.await();
                        byte[] buf = new byte[4096];
                        int open = mappings.size();
                        while (open > 0) {
                            open = 0;
                            for (Mapping m : mappings) {
                                try {
                                    m.read(0, buf, 0, buf.length);
                                    open++;
                                } catch (MappingClosedException closed) {
                                    // unmapped by the closer or the shutdown: a clean failure
                                }
                            }
                        }
                        return null;
                    }));
                }
                workers.add(pool.submit(() -> {
                    start.await();
                    for (Mapping m : mappings.reversed()) {
                        m.close();
                    }
                    return null;
                }));
                start.countDown();
                backend.close();
                MapInfo afterShutdown = map.state().info();
                for (Future<?> f : workers) {
                    f.get(30, TimeUnit.SECONDS);
                }
                assertThat(afterShutdown.mappings()).as("mappings left when the shutdown returned").isZero();
                assertThat(mappings).allMatch(Mapping::isClosed);
                assertThat(map.state().isFreed()).isTrue();
                map.close();
                assertThat(map.state().refcnt()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * map_delete_elem holds bpf_map_write_active while it runs (kernel/bpf/syscall.c), even on an array,
     * which then answers EINVAL: a freeze racing deletes can be EBUSY, and once frozen, deletes are EPERM.
     */
    @Test
    void aFreezeRacingDeletesCanBeEbusy() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (EmulatedBackend backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES)) {
            int busy = 0;
            for (int round = 0; round < 20 && busy == 0; round++) {
                EmulatedMap map = (EmulatedMap) backend.create(new MapSpec("del", MapType.ARRAY, 4, 8, 16, 0, false));
                AtomicInteger deletes = new AtomicInteger();
                AtomicBoolean stop = new AtomicBoolean();
                Future<?> deleter = pool.submit(() -> {
                    while (!stop.get()) {
                        try {
                            map.delete(1);
                        } catch (BpfException e) {
                            assertThat(e.errno()).isIn(Errno.EINVAL, Errno.EPERM);
                        }
                        deletes.incrementAndGet();
                    }
                    return null;
                });
                while (deletes.get() < 1000) {
                    Thread.onSpinWait();
                }
                while (true) {
                    try {
                        map.freeze();
                        break;
                    } catch (BpfException e) {
                        assertThat(e.errno()).isEqualTo(Errno.EBUSY);
                        busy++;
                    }
                }
                stop.set(true);
                deleter.get(30, TimeUnit.SECONDS);
                assertThatThrownBy(() -> map.delete(1)).isInstanceOfSatisfying(BpfException.class,
                        e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
                assertThat(map.state().writecnt()).isZero();
                map.close();
            }
            assertThat(busy).as("freezes refused because a delete was in flight").isPositive();
        } finally {
            pool.shutdownNow();
        }
    }
}
