package io.bpfmapd.map;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.config.BackendProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A range read of an MMAPABLE map goes through one read-only mapping instead of a lookup per element:
 * it must return exactly what the lookups return, leave no mapping behind, and where the map refuses
 * the mapping, answer with the lookups' own errno.
 */
class MapServiceRangeTest {

    @TempDir
    Path data;
    private EmulatedBackend backend;
    private MapService maps;

    @BeforeEach
    void start() {
        backend = new EmulatedBackend(data);
        maps = new MapService(List.of(backend), new BackendProperties(BackendKind.EMULATED),
                new ApiProperties(1 << 20, 1 << 20), Clock.systemUTC(), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        maps.closeAll();
        backend.close();
    }

    @ParameterizedTest(name = "value size {0}, {1} entries, [{2}, +{3})")
    @CsvSource({"8, 4096, 0, 4096", "8, 4096, 511, 3", "8, 4096, 1000, 5000", "4, 3000, 1023, 600",
            "12, 1000, 250, 500", "1, 10, 9, 1", "8, 10, 10, 5"})
    void returnsWhatTheLookupsReturn(int valueSize, int entries, int from, int count) {
        String id = create(valueSize, entries, List.of(MapFlag.MMAPABLE), false);
        Random random = new Random(valueSize * 31L + entries);
        for (int i = 0; i < entries; i++) {
            byte[] v = new byte[valueSize];
            random.nextBytes(v);
            maps.update(id, i, v, UpdateFlag.ANY);
        }

        List<byte[]> range = maps.range(id, from, count);

        int expected = Math.max(0, Math.min(from + count, entries) - from);
        assertThat(range).hasSize(expected);
        for (int i = 0; i < expected; i++) {
            assertThat(range.get(i)).as("value %d", from + i).isEqualTo(maps.lookup(id, from + i));
        }
        assertThat(maps.get(id).info().mappings()).as("the temporary mapping is gone").isZero();
    }

    @Test
    void aWriteOnlyMapAnswersWithTheLookupsErrno() {
        String id = create(8, 16, List.of(MapFlag.MMAPABLE, MapFlag.WRONLY), false);

        // mmap of a BPF_F_WRONLY fd says EACCES; the range is lookups, and lookup says EPERM.
        assertThatThrownBy(() -> maps.range(id, 0, 4)).isInstanceOfSatisfying(BpfException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
    }

    @Test
    void aSpinLockValueReadsAsLookupsDo() {
        String id = create(16, 8, List.of(MapFlag.MMAPABLE), true);
        byte[] v = new byte[16];
        new Random(7).nextBytes(v);
        maps.update(id, 3, v, UpdateFlag.ANY);

        List<byte[]> range = maps.range(id, 2, 3);

        assertThat(range.get(1)).isEqualTo(maps.lookup(id, 3));
        assertThat(range.get(1)).startsWith(0, 0, 0, 0);
    }

    @Test
    void aFrozenMapStillReads() {
        String id = create(8, 600, List.of(MapFlag.MMAPABLE), false);
        maps.update(id, 599, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, UpdateFlag.ANY);
        maps.freeze(id);

        assertThat(maps.range(id, 598, 10)).hasSize(2).last().isEqualTo(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'MMAPABLE', true", "'', false"})
    void theValuesTogetherAreAtMostMaxJsonBytes(String flag, boolean mmapable) {
        MapService small = new MapService(List.of(backend), new BackendProperties(BackendKind.EMULATED),
                new ApiProperties(1024, 4096), Clock.systemUTC(), new SimpleMeterRegistry());
        List<MapFlag> flags = mmapable ? List.of(MapFlag.MMAPABLE) : List.of();
        try {
            String id = small.create(new CreateMapRequest("json", MapType.ARRAY, 4, 1000, 10, flags,
                    BackendKind.EMULATED, false)).id();
            String huge = small.create(new CreateMapRequest("huge", MapType.ARRAY, 4, 4104, 2, flags,
                    BackendKind.EMULATED, false)).id();

            assertThat(small.range(id, 0, 4)).hasSize(4);
            assertThat(small.range(id, 0)).as("without a count: as many as fit").hasSize(4);
            assertThat(small.range(id, 8)).hasSize(2);
            assertThat(small.range(id, 7, 5)).as("the values that exist count, not those asked").hasSize(3);
            assertThatThrownBy(() -> small.range(id, 0, 5)).isInstanceOfSatisfying(BpfException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
            assertThatThrownBy(() -> small.range(huge, 0)).as("one value above the limit").isInstanceOfSatisfying(
                    BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
            assertThat(small.get(id).info().mappings()).isZero();
        } finally {
            small.closeAll();
        }
    }

    private String create(int valueSize, int entries, List<MapFlag> flags, boolean spinLock) {
        return maps.create(new CreateMapRequest("range", MapType.ARRAY, 4, valueSize, entries, flags,
                BackendKind.EMULATED, spinLock)).id();
    }
}
