package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What only the emulation has: its CPU count, its allocation limit, its spin-lock model, its name copy. */
class EmulatedEngineTest {

    @TempDir
    Path dataDir;

    private EmulatedBackend backend;

    @BeforeEach
    void start() {
        backend = new EmulatedBackend(dataDir, 3, 1 << 20);
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    private static Errno errno(Runnable call) {
        return assertThrows(BpfException.class, call::run).errno();
    }

    @Test
    void perCpuValuesFollowTheConfiguredCpuCount() {
        try (BpfMap map = backend.create(new MapSpec("pc", MapType.PERCPU_ARRAY, 4, 12, 2, 0, false))) {
            assertThat(map.lookup(0)).hasSize(3 * 16);
            assertThat(errno(() -> map.update(0, new byte[2 * 16], UpdateFlag.ANY))).isEqualTo(Errno.EINVAL);
        }
    }

    @Test
    void mapsAboveTheConfiguredSizeFailToAllocateBeforeTheNameIsChecked() {
        // 1 MiB limit: header page + data must fit.
        assertThat(errno(() -> backend.create(new MapSpec("big", MapType.ARRAY, 4, 8, 131072, 0, false)))).isEqualTo(Errno.ENOMEM);
        assertThat(errno(() -> backend.create(new MapSpec("bad-name", MapType.ARRAY, 4, 8, 131072, 0, false)))).isEqualTo(Errno.ENOMEM);
        backend.create(new MapSpec("fits", MapType.ARRAY, 4, 8, 131072 - 512, 0, false)).close();
        assertThat(backend.liveMapCount()).isZero();
    }

    @Test
    void theSpinLockAtOffsetZeroReadsAsZeroAndUpdatesSkipIt() {
        // copy_map_value skips special fields; check_and_init_map_value zeroes them in the copy.
        try (BpfMap map = backend.create(new MapSpec("lk", MapType.ARRAY, 4, 12, 2, 0, true))) {
            map.update(1, new byte[]{9, 9, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8}, UpdateFlag.ANY);
            assertThat(map.lookup(1)).containsExactly(0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
        }
        // A value with a spin lock holds at least the lock: map_check_btf compares the BTF size.
        assertThat(errno(() -> backend.create(new MapSpec("lk", MapType.ARRAY, 4, 2, 2, 0, true)))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void theNameEndsAtTheFirstNulAsInBpfObjNameCpy() {
        assertThat(CreateRules.copyName("ab\0-x")).isEqualTo("ab");
        assertThat(CreateRules.copyName(null)).isEmpty();
        assertThat(CreateRules.copyName("A.z_09")).isEqualTo("A.z_09");
        assertThat(assertThrows(BpfException.class, () -> CreateRules.copyName("0123456789abcdef")).errno()).isEqualTo(Errno.EINVAL);
        assertThat(assertThrows(BpfException.class, () -> CreateRules.copyName("\u00e9")).errno()).isEqualTo(Errno.EINVAL);
    }

    @Test
    void aNullTypeIsAnUnknownMapType() {
        assertThat(errno(() -> backend.create(new MapSpec("t", null, 4, 8, 2, 0, false)))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void errorsNameTheSyscall() {
        BpfException e = assertThrows(BpfException.class,
                () -> backend.create(new MapSpec("t", MapType.PERCPU_ARRAY, 4, 8, 2, MapFlag.MMAPABLE.bit(), false)));
        assertThat(e.operation()).isEqualTo("BPF_MAP_CREATE");
        try (BpfMap map = backend.create(new MapSpec("t", MapType.ARRAY, 4, 8, 2, 0, false))) {
            assertThat(assertThrows(BpfException.class, () -> map.lookup(5)).operation()).isEqualTo("BPF_MAP_LOOKUP_ELEM");
            assertThat(assertThrows(BpfException.class, () -> map.update(5, new byte[8], UpdateFlag.ANY)).operation())
                    .isEqualTo("BPF_MAP_UPDATE_ELEM");
            assertThat(assertThrows(BpfException.class, () -> map.delete(0)).operation()).isEqualTo("BPF_MAP_DELETE_ELEM");
            assertThat(assertThrows(BpfException.class, () -> map.mmap(0, 4096, false)).operation()).isEqualTo("mmap");
        }
    }

    @Test
    void idsAreDistinctAndTheBackendSaysItWorks() {
        try (BpfMap a = backend.create(new MapSpec("a", MapType.ARRAY, 4, 8, 2, 0, false));
             BpfMap b = backend.create(new MapSpec("b", MapType.ARRAY, 4, 8, 2, 0, false))) {
            assertThat(a.info().id()).isNotEqualTo(b.info().id());
            assertThat(backend.liveMapCount()).isEqualTo(2);
        }
        assertThat(backend.availability().available()).isTrue();
        assertThat(backend.kind()).isEqualTo(io.bpfmapd.backend.BackendKind.EMULATED);
    }
}
