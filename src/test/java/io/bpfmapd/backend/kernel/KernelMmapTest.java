package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MappingClosedException;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.kernel.sys.Fd;
import io.bpfmapd.backend.kernel.sys.IdCommands;
import io.bpfmapd.backend.kernel.sys.MapCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.bpfmapd.backend.Errno.ENOENT;
import static io.bpfmapd.backend.kernel.KernelSpecs.assertErrno;
import static io.bpfmapd.backend.kernel.KernelSpecs.mmapable;
import static io.bpfmapd.backend.kernel.KernelSpecs.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mmap through the kernel: windows, lifetime, and reads racing munmap. */
@RequiresKernel
class KernelMmapTest {

    private static final long PAGE = 4096;
    private final KernelBackend backend = new KernelBackend();

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void bytesWrittenThroughAMappingAreWhatLookupReturnsAndBack() {
        try (BpfMap map = backend.create(mmapable(8, 1024)); Mapping m = map.mmap(0, 2 * PAGE, true)) {
            m.writeLong(8 * 700, 0xfeedL);
            assertThat(u64(map.lookup(700))).isEqualTo(0xfeedL);
            map.update(1023, u64(42), UpdateFlag.ANY);
            assertThat(m.readLong(8 * 1023)).isEqualTo(42);
        }
    }

    @Test
    void aWindowAtAPageOffsetSeesItsOwnPart() {
        try (BpfMap map = backend.create(mmapable(8, 1536))) { // 12 KiB: three pages
            map.update(512, u64(5), UpdateFlag.ANY); // first element of page 1
            try (Mapping window = map.mmap(PAGE, 100, false)) {
                assertThat(window.offset()).isEqualTo(PAGE);
                assertThat(window.length()).isEqualTo(PAGE); // rounded up to a page
                assertThat(window.readLong(0)).isEqualTo(5);
                assertThatThrownBy(() -> window.readLong(PAGE)).isInstanceOf(IndexOutOfBoundsException.class);
            }
            try (Mapping tail = map.mmap(2 * PAGE, PAGE, true)) {
                tail.writeLong(PAGE - 8, 9);
                assertThat(u64(map.lookup(1535))).isEqualTo(9);
            }
        }
    }

    @Test
    void aMappingOutlivesTheFdAndTheMapIsFreedWithTheLastMapping() {
        BpfMap map = backend.create(mmapable(8, 512));
        int id = Math.toIntExact(map.info().id());
        Mapping first = map.mmap(0, PAGE, true);
        Mapping second = map.mmap(0, PAGE, false);
        map.close();

        first.writeLong(16, 77);
        assertThat(second.readLong(16)).isEqualTo(77);
        try (Fd again = IdCommands.mapFdById(id)) {
            assertThat(u64(MapCommands.lookup(again.value(), 2, 8))).isEqualTo(77);
        }

        first.close();
        try (Fd again = IdCommands.mapFdById(id)) {
            assertThat(again.value()).isNotNegative(); // still alive: the read-only mapping holds it
        }
        second.close();
        assertErrno(ENOENT, () -> IdCommands.mapFdById(id).close());
    }

    @Test
    void readsRacingACloseGetMappingClosedExceptionNeverACrash() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (BpfMap map = backend.create(mmapable(8, 4096))) {
            for (int round = 0; round < 50; round++) {
                Mapping m = map.mmap(0, 8 * PAGE, round % 2 == 0);
                CountDownLatch started = new CountDownLatch(3);
                AtomicLong reads = new AtomicLong();
                Future<?>[] readers = new Future<?>[3];
                for (int r = 0; r < readers.length; r++) {
                    readers[r] = pool.submit(() -> {
                        started.countDown();
                        byte[] buf = new byte[(int) (8 * PAGE)];
                        try {
                            while (true) {
                                m.read(0, buf, 0, buf.length);
                                reads.incrementAndGet();
                            }
                        } catch (MappingClosedException expected) {
                            return expected;
                        }
                    });
                }
                started.await();
                m.close();
                for (Future<?> reader : readers) {
                    assertThat(reader.get(10, TimeUnit.SECONDS)).isInstanceOf(MappingClosedException.class);
                }
                assertThat(m.isClosed()).isTrue();
                assertThatThrownBy(() -> m.readLong(0)).isInstanceOf(MappingClosedException.class);
            }
            assertThat(map.info().mappings()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCloseRacingMprotectStillUnmaps() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (BpfMap map = backend.create(mmapable(8, 512))) {
            for (int round = 0; round < 200; round++) {
                Mapping m = map.mmap(0, PAGE, true);
                CountDownLatch protecting = new CountDownLatch(1);
                Future<?> protector = pool.submit(() -> {
                    protecting.countDown();
                    try {
                        for (int i = 0; ; i++) {
                            m.protect(i % 2 == 1);
                        }
                    } catch (MappingClosedException closed) {
                        return null;
                    }
                });
                protecting.await();
                m.close();
                protector.get(10, TimeUnit.SECONDS);
                // A close that lost to an mprotect in flight must still munmap: else writecnt stays up forever.
                assertThat(map.info().writableMappings()).as("round " + round).isZero();
            }
            map.freeze();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writesRacingProtectAndCloseNeverCrash() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (BpfMap map = backend.create(mmapable(8, 512))) {
            for (int round = 0; round < 50; round++) {
                Mapping m = map.mmap(0, PAGE, true);
                Future<?> writer = pool.submit(() -> {
                    for (long i = 0; ; i++) {
                        try {
                            m.writeLong(0, i);
                        } catch (io.bpfmapd.backend.BpfException notWritableNow) {
                            // mprotect(PROT_READ) won the race: refused, not a SIGSEGV
                        } catch (MappingClosedException closed) {
                            return null;
                        }
                    }
                });
                for (int i = 0; i < 20; i++) {
                    m.protect(i % 2 == 1);
                }
                m.close();
                writer.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
