package io.bpfmapd.backend;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SegmentMapping#close()} returns only once the mapping is unmapped, also on a thread that
 * finds another thread's close in progress: its caller may free the memory under the mapping next.
 */
class SegmentMappingCloseTest {

    @Test
    void aSecondCloseWaitsForTheCloseInProgress() throws Exception {
        CountDownLatch unmapping = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        Arena arena = Arena.ofShared();
        MemorySegment segment = Arena.global().allocate(4096).reinterpret(arena, ignored -> {
            unmapping.countDown();
            try {
                mayFinish.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        SegmentMapping mapping = new SegmentMapping(0, true, arena, segment, (s, w) -> {
        });

        // Two threads of its own: the common pool may have only one on a small machine.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> first = CompletableFuture.runAsync(mapping::close, threads);
            assertThat(unmapping.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> second = CompletableFuture.runAsync(mapping::close, threads);
            Thread.sleep(200);
            assertThat(second).as("close returned while the unmap was still in progress").isNotDone();

            mayFinish.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        } finally {
            mayFinish.countDown();
            threads.shutdownNow();
        }
        assertThat(mapping.isClosed()).isTrue();
        assertThat(arena.scope().isAlive()).isFalse();
    }
}
