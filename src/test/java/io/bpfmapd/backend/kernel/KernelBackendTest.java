package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.PossibleCpus;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.kernel.sys.FdInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.bpfmapd.backend.Errno.E2BIG;
import static io.bpfmapd.backend.Errno.EBADF;
import static io.bpfmapd.backend.Errno.EEXIST;
import static io.bpfmapd.backend.Errno.EINVAL;
import static io.bpfmapd.backend.Errno.ENOENT;
import static io.bpfmapd.backend.Errno.EPERM;
import static io.bpfmapd.backend.kernel.KernelSpecs.assertErrno;
import static io.bpfmapd.backend.kernel.KernelSpecs.mmapable;
import static io.bpfmapd.backend.kernel.KernelSpecs.spec;
import static io.bpfmapd.backend.kernel.KernelSpecs.u64;
import static org.assertj.core.api.Assertions.assertThat;

/** The kernel backend's basic life of a map, against the real kernel. */
@RequiresKernel
class KernelBackendTest {

    private final KernelBackend backend = new KernelBackend();

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void probeSaysWhyItWorks() {
        assertThat(backend.availability().available()).isTrue();
        assertThat(backend.availability().reason()).contains("MMAPABLE");
    }

    @Test
    void createReportsTheKernelIdAndSpec() {
        try (BpfMap map = backend.create(mmapable(8, 16))) {
            MapInfo info = map.info();
            assertThat(info.id()).isPositive();
            assertThat(info.spec()).isEqualTo(mmapable(8, 16));
            assertThat(info.frozen()).isFalse();
            assertThat(info.mappings()).isZero();
            assertThat(info.pinnedPath()).isEmpty();
            assertThat(FdInfo.of(((KernelMap) map).fd()).fields()).containsEntry("map_id", Long.toString(info.id()));
        }
    }

    @Test
    void updateThenLookupGoesThroughTheKernel() {
        try (BpfMap map = backend.create(mmapable(8, 16))) {
            map.update(3, u64(111), UpdateFlag.ANY);
            assertThat(u64(map.lookup(3))).isEqualTo(111);
            assertThat(u64(map.lookup(4))).isZero();
            map.update(3, u64(112), UpdateFlag.EXIST);
            assertThat(u64(map.lookup(3))).isEqualTo(112);
        }
    }

    @Test
    void elementRulesOfArrays() {
        try (BpfMap map = backend.create(mmapable(8, 16))) {
            assertErrno(ENOENT, () -> map.lookup(16));
            assertErrno(E2BIG, () -> map.update(16, u64(1), UpdateFlag.ANY));
            assertErrno(EEXIST, () -> map.update(0, u64(1), UpdateFlag.NOEXIST));
            assertErrno(EINVAL, () -> map.delete(0));
            assertErrno(EINVAL, () -> map.update(0, new byte[7], UpdateFlag.ANY));
        }
    }

    @Test
    void oddValueSizesCopyExactlyValueSizeBytes() {
        try (BpfMap map = backend.create(mmapable(3, 4))) {
            map.update(1, new byte[]{1, 2, 3}, UpdateFlag.ANY);
            assertThat(map.lookup(1)).containsExactly(1, 2, 3);
            try (Mapping m = map.mmap(0, map.geometry().pageSize(), false)) {
                byte[] mem = new byte[16];
                m.read(0, mem, 0, 16);
                // element 1 starts at elem_size = round_up(3, 8) = 8
                assertThat(mem).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0);
            }
        }
    }

    @Test
    void perCpuValuesHaveOneSlotPerPossibleCpu() {
        try (BpfMap map = backend.create(spec(MapType.PERCPU_ARRAY, 4, 2))) {
            int slots = PossibleCpus.count();
            byte[] value = new byte[8 * slots];
            for (int cpu = 0; cpu < slots; cpu++) {
                value[cpu * 8] = (byte) (cpu + 1);
            }
            map.update(1, value, UpdateFlag.ANY);
            assertThat(map.lookup(1)).containsExactly(value);
            assertErrno(EINVAL, () -> map.update(1, new byte[4], UpdateFlag.ANY));
        }
    }

    @Test
    void frozenMapsRefuseSyscallWritesButStillRead() {
        try (BpfMap map = backend.create(mmapable(8, 4))) {
            map.update(2, u64(7), UpdateFlag.ANY);
            map.freeze();
            assertThat(map.info().frozen()).isTrue();
            assertErrno(EPERM, () -> map.update(2, u64(8), UpdateFlag.ANY));
            assertErrno(EPERM, () -> map.delete(2));
            assertThat(u64(map.lookup(2))).isEqualTo(7);
        }
    }

    @Test
    void aClosedHandleRefusesEverything() {
        BpfMap map = backend.create(mmapable(8, 4));
        map.close();
        map.close();
        assertErrno(EBADF, () -> map.lookup(0));
        assertErrno(EBADF, map::freeze);
    }

    @Test
    void closingTheBackendReleasesMapsAndMappings() {
        BpfMap map = backend.create(mmapable(8, 4));
        Mapping m = map.mmap(0, 4096, true);
        backend.close();
        assertThat(m.isClosed()).isTrue();
        assertThat(((KernelMap) map).isClosed()).isTrue();
    }

    @Test
    void namesAreTheKernelsToRefuse() {
        assertErrno(EINVAL, () -> backend.create(new MapSpec("bad-name", MapType.ARRAY, 4, 8, 1, 0, false)));
        assertErrno(EINVAL, () -> backend.create(new MapSpec("sixteen_chars_xx", MapType.ARRAY, 4, 8, 1, 0, false)));
        try (BpfMap map = backend.create(new MapSpec("fifteen_chars_x", MapType.ARRAY, 4, 8, 1, MapFlag.MMAPABLE.bit(), false))) {
            assertThat(map.info().spec().name()).isEqualTo("fifteen_chars_x");
        }
    }
}
