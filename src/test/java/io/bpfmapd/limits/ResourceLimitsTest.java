package io.bpfmapd.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.PageSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

class ResourceLimitsTest {

    /** Mappings take whole pages of the machine's size, as the kernel's do. */
    static final long PAGE = PageSize.machine();
    /** Two sessions a principal, three in all; three pages mapped a principal, four in all. */
    static final LimitsProperties SMALL = new LimitsProperties(3, DataSize.ofKilobytes(16), DataSize.ofBytes(64), 100, 3, 2,
            DataSize.ofKilobytes(1), DataSize.ofBytes(4 * PAGE), DataSize.ofBytes(3 * PAGE), Duration.ofSeconds(1));

    final ResourceLimits limits = new ResourceLimits(SMALL);

    /** On a backend with 4 possible CPUs and 4 KiB pages. */
    static MapGeometry geometry(MapSpec spec) {
        return MapGeometry.of(spec, 4, 4096);
    }

    static MapGeometry array(int valueSize, int entries, MapFlag... flags) {
        int bits = 0;
        for (MapFlag f : flags) {
            bits |= MapFlag.toBits(java.util.EnumSet.of(f));
        }
        return geometry(new MapSpec("m", MapType.ARRAY, 4, valueSize, entries, bits, false));
    }

    @Test
    void bytesAreTheValueAreaPageAlignedWhenMmapableAndOncePerCpuWhenPerCpu() {
        assertThat(limits.bytes(array(12, 10))).isEqualTo(160);
        assertThat(limits.bytes(array(12, 10, MapFlag.MMAPABLE))).isEqualTo(4096);
        assertThat(limits.bytes(geometry(new MapSpec("p", MapType.PERCPU_ARRAY, 4, 8, 10, 0, false)))).isEqualTo(320);
        assertThat(limits.bytes(array(0, 5))).as("a size the kernel refuses counts nothing").isZero();
    }

    @Test
    void aValueSizeOrEntryCountAboveTheLimitIsE2big() {
        assertThatThrownBy(() -> limits.reserveMap(array(65, 1)))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.errno()).isEqualTo(Errno.E2BIG);
                    assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-value-size");
                    assertThat(e.max()).isEqualTo(64);
                });
        assertThatThrownBy(() -> limits.reserveMap(array(8, 101)))
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-entries"));
        assertThatThrownBy(() -> limits.reserveMap(array(8, -2263)))
                .as("max_entries is a u32: -2263 is 4294965033")
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.getMessage()).contains("4294965033"));
        assertThatThrownBy(() -> limits.reserveMap(array(-8, 1)))
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-value-size"));
        assertThat(limits.maps()).isZero();
    }

    @Test
    void mapsAndTheirBytesAreCountedAndGivenBack() {
        MapGeometry page = array(8, 100, MapFlag.MMAPABLE);
        limits.reserveMap(page).keep();
        limits.reserveMap(page).keep();
        limits.reserveMap(page).keep();
        assertThat(limits.mapBytes()).isEqualTo(3 * 4096);
        assertThatThrownBy(() -> limits.reserveMap(array(8, 1)))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                    assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-maps");
                    assertThat(e.errno()).isEqualTo(Errno.ENOSPC);
                });
        limits.releaseMap(page);
        limits.releaseMap(page);
        assertThat(limits.mapBytes()).isEqualTo(4096);
        limits.reserveMap(array(64, 100, MapFlag.MMAPABLE)).keep(); // two pages: 12 of 16 KiB
        assertThatThrownBy(() -> limits.reserveMap(array(64, 65)))     // 4160 bytes: 64 too many
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-total-map-bytes"));
        limits.reserveMap(array(64, 64)).keep();                          // 4096 bytes: exactly full
        assertThat(limits.maps()).isEqualTo(3);
        assertThat(limits.mapBytes()).isEqualTo(16 * 1024);
    }

    /** A 429 invites a retry; a map larger than all maps together may be can never be created, so it is a 400. */
    @Test
    void aMapLargerThanTheTotalIsE2bigAndOneLargerThanWhatIsLeftA429() {
        var small = new ResourceLimits(new LimitsProperties(3, DataSize.ofKilobytes(4), DataSize.ofBytes(64), 100, 3, 2,
                DataSize.ofKilobytes(1)));
        assertThatThrownBy(() -> small.reserveMap(array(64, 65)))      // 4160 bytes: above the total
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.errno()).isEqualTo(Errno.E2BIG);
                    assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-total-map-bytes");
                    assertThat(e.max()).isEqualTo(4096);
                });
        small.reserveMap(array(64, 32)).keep();                        // 2048 of 4096 bytes
        assertThatThrownBy(() -> small.reserveMap(array(64, 40)))      // 2560 bytes: fits the total, not what is left
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                    assertThat(e.errno()).isEqualTo(Errno.ENOSPC);
                });
        assertThat(small.maps()).isEqualTo(1);
        assertThat(small.mapBytes()).isEqualTo(2048);
    }

    @Test
    void aReservationNotKeptIsGivenBack() {
        try (ResourceLimits.Reservation r = limits.reserveMap(array(8, 1))) {
            assertThat(limits.maps()).isEqualTo(1);
        }
        assertThat(limits.maps()).isZero();
        try (ResourceLimits.Reservation r = limits.reserveSession("a", 1)) {
            r.keep();
        }
        assertThat(limits.sessions()).isEqualTo(1);
        assertThat(limits.mappedBytes()).isEqualTo(PAGE);
    }

    @Test
    void sessionsAreLimitedPerPrincipalAndInTotal() {
        limits.reserveSession("alice", 1).keep();
        limits.reserveSession("alice", 1).keep();
        assertThatThrownBy(() -> limits.reserveSession("alice", 1))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-sessions-per-principal");
                    assertThat(e.errno()).isEqualTo(Errno.EMFILE);
                    assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                });
        limits.reserveSession("bob", 1).keep();
        assertThatThrownBy(() -> limits.reserveSession("carol", 1))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-sessions");
                    assertThat(e.errno()).isEqualTo(Errno.ENFILE);
                });
        limits.releaseSession("alice", 1);
        limits.reserveSession("carol", 1).keep();
        assertThat(limits.sessions()).isEqualTo(3);
    }

    @Test
    void aTemporaryMappingIsOneOfItsPrincipalsSessions() {
        ResourceLimits.Reservation first = limits.reserveTemporaryMapping("reader", 1);
        limits.reserveTemporaryMapping("reader", 1).keep();
        assertThat(limits.sessions("reader")).isEqualTo(2);
        assertThat(limits.temporaryMappings()).isEqualTo(2);
        assertThatThrownBy(() -> limits.reserveTemporaryMapping("reader", 1))
                .as("a principal's reads take its own slots, not everyone's")
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-sessions-per-principal");
                    assertThat(e.errno()).isEqualTo(Errno.EMFILE);
                });
        limits.reserveSession("writer", 1).keep();
        assertThat(limits.sessions()).isEqualTo(3);
        assertThatThrownBy(() -> limits.reserveSession("other", 1))
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-sessions"));
        first.close();
        first.close(); // once only
        assertThat(limits.sessions()).isEqualTo(2);
        assertThat(limits.temporaryMappings()).isEqualTo(1);
        assertThat(limits.mappedBytes("reader")).isEqualTo(PAGE);
    }

    @Test
    void mappedBytesAreCountedInWholePagesPerPrincipalAndInTotal() {
        limits.reserveSession("alice", 2 * PAGE - 1).keep();
        assertThat(limits.mappedBytes("alice")).isEqualTo(2 * PAGE);
        assertThatThrownBy(() -> limits.reserveSession("alice", PAGE + 1))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-mapped-bytes-per-principal");
                    assertThat(e.max()).isEqualTo(3 * PAGE);
                    assertThat(e.errno()).isEqualTo(Errno.ENOMEM);
                    assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                });
        assertThatThrownBy(() -> limits.reserveTemporaryMapping("alice", 2 * PAGE))
                .as("a whole-map read maps bytes as a session does")
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-mapped-bytes-per-principal"));
        limits.reserveSession("bob", 2 * PAGE).keep();
        assertThatThrownBy(() -> limits.reserveSession("carol", 1))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-total-mapped-bytes");
                    assertThat(e.max()).isEqualTo(4 * PAGE);
                    assertThat(e.errno()).isEqualTo(Errno.ENOMEM);
                });
        assertThat(limits.sessions()).as("a refusal holds nothing").isEqualTo(2);
        assertThat(limits.mappedBytes()).isEqualTo(4 * PAGE);
        limits.releaseSession("alice", 2 * PAGE - 1);
        assertThat(limits.mappedBytes()).isEqualTo(2 * PAGE);
        assertThat(limits.mappedBytes("alice")).isZero();
        limits.reserveSession("carol", 2 * PAGE).keep();
    }

    @Test
    void aMappingLargerThanAnyPrincipalMayMapIsTooBigInItself() {
        assertThatThrownBy(() -> limits.reserveSession("alice", 3 * PAGE + 1))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-mapped-bytes-per-principal");
                    assertThat(e.errno()).isEqualTo(Errno.E2BIG);
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                });
        var roomyPrincipals = new ResourceLimits(new LimitsProperties(3, DataSize.ofKilobytes(16), DataSize.ofBytes(64),
                100, 3, 2, DataSize.ofKilobytes(1), DataSize.ofBytes(PAGE), DataSize.ofBytes(2 * PAGE),
                Duration.ofSeconds(1)));
        assertThatThrownBy(() -> roomyPrincipals.reserveTemporaryMapping("alice", 2 * PAGE))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo("bpfmapd.limits.max-total-mapped-bytes");
                    assertThat(e.errno()).isEqualTo(Errno.E2BIG);
                });
        assertThat(roomyPrincipals.sessions()).isZero();
    }

    @Test
    void theDefaultsBoundPageTables() {
        LimitsProperties defaults = LimitsProperties.defaults();
        // one 8-byte page-table entry per mapped 4 KiB page (x86-64): 16 MiB of PTEs at most, where
        // max-sessions mappings of max-total-map-bytes each would be 4096 * 512 MiB / 512 = 4 GiB
        assertThat(defaults.maxTotalMappedBytes().toBytes() / 4096 * 8).isLessThanOrEqualTo(16L << 20);
        assertThat(defaults.maxMappedBytesPerPrincipal().toBytes())
                .as("a principal can map the largest map the service holds, more than once")
                .isGreaterThanOrEqualTo(2 * defaults.maxTotalMapBytes().toBytes())
                .isLessThanOrEqualTo(defaults.maxTotalMappedBytes().toBytes());
    }

    @Test
    void racingReservationsNeverOvershoot() throws Exception {
        var big = new ResourceLimits(new LimitsProperties(50, DataSize.ofMegabytes(1), DataSize.ofKilobytes(4), 1000,
                1000, 1000, DataSize.ofKilobytes(1)));
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tasks.add(() -> {
                try {
                    big.reserveMap(array(8, 1)).keep();
                    return true;
                } catch (LimitExceededException e) {
                    return false;
                }
            });
        }
        try (var pool = Executors.newFixedThreadPool(8)) {
            long granted = 0;
            for (Future<Boolean> f : pool.invokeAll(tasks)) {
                granted += f.get() ? 1 : 0;
            }
            assertThat(granted).isEqualTo(50);
        }
        assertThat(big.maps()).isEqualTo(50);
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new LimitsProperties(0, DataSize.ofKilobytes(1), DataSize.ofKilobytes(1), 1, 1, 1,
                DataSize.ofKilobytes(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
