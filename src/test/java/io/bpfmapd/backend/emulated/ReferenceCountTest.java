package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.MappingClosedException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handle, each mapping and each pin hold a reference; memory and file go exactly with the last. */
class ReferenceCountTest extends WithEmulatedBackend {

    private EmulatedMap create() {
        return (EmulatedMap) backend.create(new MapSpec("rc", MapType.ARRAY, 4, 8, 1024, MapFlag.MMAPABLE.bit(), false));
    }

    @Test
    void theLastMappingFreesTheMapAfterTheHandleClosed() throws Exception {
        EmulatedMap map = create();
        MapState state = map.state();
        Path file = anonFile();
        Mapping a = map.mmap(0, 4096, true);
        Mapping b = map.mmap(4096, 4096, false);
        assertThat(state.refcnt()).isEqualTo(3);
        map.close();
        assertThat(state.refcnt()).isEqualTo(2);
        assertThat(state.isFreed()).isFalse();
        a.writeLong(4096 - 8, 1);
        b.close();
        assertThat(state.isFreed()).isFalse();
        assertThat(a.readLong(4096 - 8)).isEqualTo(1);
        a.close();
        assertThat(state.isFreed()).isTrue();
        assertThat(state.refcnt()).isZero();
        assertThat(state.writecnt()).isZero();
        assertThat(Files.exists(file)).as("file deleted with the map").isFalse();
        assertThat(backend.liveMapCount()).isZero();
        assertThatThrownBy(() -> a.readLong(0)).isInstanceOf(MappingClosedException.class);
    }

    @Test
    void theHandleFreesTheMapWhenNoMappingIsLeft() {
        EmulatedMap map = create();
        MapState state = map.state();
        map.mmap(0, 4096, true).close();
        assertThat(state.isFreed()).isFalse();
        map.close();
        map.close();
        assertThat(state.isFreed()).isTrue();
        assertThat(state.refcnt()).isZero();
    }

    @Test
    void aPinKeepsTheMapAfterEveryHandleAndMappingWent() throws Exception {
        EmulatedMap map = create();
        MapState state = map.state();
        Path pin = dataDir.resolve("kept");
        map.pin(pin);
        Mapping m = map.mmap(0, 4096, true);
        m.writeLong(0, 42);
        m.close();
        map.close();
        assertThat(state.isFreed()).isFalse();
        assertThat(state.refcnt()).isEqualTo(1);
        try (BpfMap again = backend.open(pin)) {
            assertThat(((EmulatedMap) again).state()).isSameAs(state);
            assertThat(again.lookup(0)).containsExactly(42, 0, 0, 0, 0, 0, 0, 0);
        }
        backend.close();
        assertThat(state.isFreed()).isTrue();
        assertThat(Files.exists(pin)).isTrue();
    }

    @Test
    void aFailedMmapTakesNoReference() {
        EmulatedMap map = create();
        MapState state = map.state();
        map.freeze();
        for (int i = 0; i < 3; i++) {
            try {
                map.mmap(0, 4096, true);
            } catch (io.bpfmapd.backend.BpfException expected) {
                // EPERM
            }
            try {
                map.mmap(0, 1 << 20, false);
            } catch (io.bpfmapd.backend.BpfException expected) {
                // EINVAL
            }
        }
        assertThat(state.refcnt()).isEqualTo(1);
        assertThat(state.writecnt()).isZero();
        map.close();
        assertThat(state.isFreed()).isTrue();
    }

    @Test
    void handlesOnOnePinnedFileShareOneMap() throws Exception {
        EmulatedMap map = create();
        Path pin = dataDir.resolve("shared");
        map.pin(pin);
        try (EmulatedMap a = (EmulatedMap) backend.open(pin); EmulatedMap b = (EmulatedMap) backend.open(pin)) {
            assertThat(a.state()).isSameAs(map.state()).isSameAs(b.state());
            try (Mapping w = a.mmap(0, 4096, true)) {
                assertThat(b.info().writableMappings()).isEqualTo(1);
                assertThatThrownBy(b::freeze).hasMessageContaining("EBUSY");
            }
            b.freeze();
            assertThat(map.info().frozen()).isTrue();
        }
        map.close();
    }

    private Path anonFile() throws Exception {
        try (var files = Files.list(dataDir.resolve("anon"))) {
            return files.findFirst().orElseThrow();
        }
    }
}
