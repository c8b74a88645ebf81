package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.bpfmapd.backend.Errno.E2BIG;
import static io.bpfmapd.backend.Errno.EACCES;
import static io.bpfmapd.backend.Errno.EBUSY;
import static io.bpfmapd.backend.Errno.EINVAL;
import static io.bpfmapd.backend.Errno.ENOTSUPP;
import static io.bpfmapd.backend.Errno.EPERM;
import static io.bpfmapd.backend.MapFlag.INNER_MAP;
import static io.bpfmapd.backend.MapFlag.MMAPABLE;
import static io.bpfmapd.backend.MapFlag.RDONLY;
import static io.bpfmapd.backend.MapFlag.RDONLY_PROG;
import static io.bpfmapd.backend.MapFlag.WRONLY;
import static io.bpfmapd.backend.MapFlag.WRONLY_PROG;
import static io.bpfmapd.backend.kernel.KernelSpecs.assertErrno;
import static io.bpfmapd.backend.kernel.KernelSpecs.bits;
import static io.bpfmapd.backend.kernel.KernelSpecs.mmapable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each errno the kernel gives for creating, mapping and freezing an array map, checked against the
 * running kernel, in the order its checks happen (Linux 6.18): create in {@code map_create}
 * (kernel/bpf/syscall.c) and {@code array_map_alloc_check} (kernel/bpf/arraymap.c); mmap in
 * {@code do_mmap} (mm/mmap.c), then {@code bpf_map_mmap} (kernel/bpf/syscall.c) and
 * {@code array_map_mmap} (kernel/bpf/arraymap.c); mprotect in {@code do_mprotect_pkey} (mm/mprotect.c),
 * which refuses PROT_WRITE where {@code bpf_map_mmap} cleared {@code VM_MAYWRITE}; freeze in
 * {@code map_freeze} (kernel/bpf/syscall.c), whose writecnt {@code bpf_map_mmap_open} and
 * {@code bpf_map_mmap_close} count by {@code VM_MAYWRITE}.
 */
@RequiresKernel
class KernelErrnoTablesTest {

    private static final long PAGE = 4096;
    private final KernelBackend backend = new KernelBackend();

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    static Stream<Arguments> createRefusals() {
        return Stream.of(
                arguments("key_size 8", raw(MapType.ARRAY, 8, 8, 1, 0), EINVAL),
                arguments("value_size 0", raw(MapType.ARRAY, 4, 0, 1, 0), EINVAL),
                arguments("max_entries 0", raw(MapType.ARRAY, 4, 8, 0, 0), EINVAL),
                arguments("unknown flag 1<<20", raw(MapType.ARRAY, 4, 8, 1, 1 << 20), EINVAL),
                arguments("MMAPABLE on PERCPU_ARRAY", raw(MapType.PERCPU_ARRAY, 4, 8, 1, bits(MMAPABLE)), EINVAL),
                arguments("INNER_MAP on PERCPU_ARRAY", raw(MapType.PERCPU_ARRAY, 4, 8, 1, bits(INNER_MAP)), EINVAL),
                arguments("RDONLY_PROG with WRONLY_PROG", raw(MapType.ARRAY, 4, 8, 1, bits(RDONLY_PROG, WRONLY_PROG)), EINVAL),
                arguments("RDONLY with WRONLY", raw(MapType.ARRAY, 4, 8, 1, bits(RDONLY, WRONLY)), EINVAL),
                arguments("value_size above INT_MAX", raw(MapType.ARRAY, 4, -1, 1, 0), E2BIG),
                arguments("per-CPU value above PCPU_MIN_UNIT_SIZE", raw(MapType.PERCPU_ARRAY, 4, 32 * 1024 + 1, 1, 0), E2BIG),
                arguments("key_size checked before value_size", raw(MapType.ARRAY, 8, -1, 1, 0), EINVAL));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("createRefusals")
    void createRefuses(String why, MapSpec spec, Errno errno) {
        assertErrno(errno, () -> backend.create(spec));
    }

    @Test
    void createAcceptsEveryFlagTheKernelAllowsOnAnArray() {
        for (int flags : new int[]{bits(MMAPABLE, RDONLY_PROG), bits(MMAPABLE, WRONLY_PROG), bits(INNER_MAP), bits(MapFlag.NUMA_NODE), bits(RDONLY), bits(WRONLY)}) {
            try (BpfMap map = backend.create(raw(MapType.ARRAY, 4, 8, 4, flags))) {
                assertThat(map.info().spec().flags()).isEqualTo(flags);
            }
        }
    }

    @Test
    void mmapOfAWriteOnlyFdIsEaccesEvenReadOnly() {
        try (BpfMap map = backend.create(mmapable(8, 4, WRONLY))) {
            assertErrno(EACCES, () -> map.mmap(0, PAGE, false));
            assertErrno(EACCES, () -> map.mmap(0, PAGE, true));
        }
    }

    @Test
    void mmapOfAReadOnlyFd() {
        try (BpfMap map = backend.create(mmapable(8, 4, RDONLY))) {
            // PROT_WRITE through an fd without write access fails in do_mmap before the map is asked.
            assertErrno(EACCES, () -> map.mmap(0, PAGE, true));
            // MAP_SHARED through a read-only fd loses VM_SHARED; bpf_map_mmap then says EINVAL.
            assertErrno(EINVAL, () -> map.mmap(0, PAGE, false));
        }
    }

    @Test
    void mmapOfPerCpuIsEnotsupp() {
        try (BpfMap map = backend.create(KernelSpecs.spec(MapType.PERCPU_ARRAY, 8, 4))) {
            assertErrno(ENOTSUPP, () -> map.mmap(0, PAGE, false));
            assertErrno(ENOTSUPP, () -> map.mmap(0, PAGE, true));
        }
    }

    @Test
    void writableMmapOfAFrozenMapIsEpermBeforeEverythingButEnotsupp() {
        for (int flags : new int[]{bits(MMAPABLE), bits(MMAPABLE, RDONLY_PROG), 0}) {
            try (BpfMap map = backend.create(raw(MapType.ARRAY, 4, 8, 4, flags))) {
                map.freeze();
                assertErrno(EPERM, () -> map.mmap(0, PAGE, true));
                // Out of range too: the frozen check comes first (bpf_map_mmap before array_map_mmap).
                assertErrno(EPERM, () -> map.mmap(PAGE * 8, PAGE, true));
            }
        }
    }

    @Test
    void writableMmapOfRdonlyProgIsEacces() {
        try (BpfMap map = backend.create(mmapable(8, 4, RDONLY_PROG))) {
            assertErrno(EACCES, () -> map.mmap(0, PAGE, true));
            try (Mapping ro = map.mmap(0, PAGE, false)) {
                assertThat(ro.writable()).isFalse();
            }
        }
    }

    @Test
    void mmapOfAPlainArrayIsEinval() {
        try (BpfMap map = backend.create(KernelSpecs.array(8, 4))) {
            assertErrno(EINVAL, () -> map.mmap(0, PAGE, false));
            assertErrno(EINVAL, () -> map.mmap(0, PAGE, true));
        }
    }

    @Test
    void mmapBeyondTheDataAreaIsEinval() {
        try (BpfMap map = backend.create(mmapable(8, 1024))) { // 8 KiB: two pages
            assertErrno(EINVAL, () -> map.mmap(0, 3 * PAGE, false));
            assertErrno(EINVAL, () -> map.mmap(PAGE, 2 * PAGE, false));
            assertErrno(EINVAL, () -> map.mmap(2 * PAGE, 1, false));
            assertErrno(EINVAL, () -> map.mmap(1, PAGE, false));
            assertErrno(EINVAL, () -> map.mmap(0, 0, false));
            try (Mapping m = map.mmap(PAGE, PAGE + 1 - PAGE, false)) {
                assertThat(m.length()).isEqualTo(PAGE);
            }
        }
    }

    @Test
    void freezeRefusals() {
        try (BpfMap map = backend.create(mmapable(8, 4, RDONLY))) {
            assertErrno(EPERM, map::freeze);
        }
        try (BpfMap map = backend.create(mmapable(8, 4))) {
            Mapping rw = map.mmap(0, PAGE, true);
            assertErrno(EBUSY, map::freeze);
            rw.protect(false);
            // A writable mapping made read-only still counts in writecnt.
            assertErrno(EBUSY, map::freeze);
            try (Mapping ro = map.mmap(0, PAGE, false)) {
                rw.close();
                map.freeze(); // read-only mappings do not block freeze
                assertThat(ro.isClosed()).isFalse();
            }
            assertErrno(EPERM, map::freeze);
            assertThat(map.info().frozen()).isTrue();
        }
    }

    @Test
    void aReadOnlyMappingNeverBecomesWritable() {
        try (BpfMap map = backend.create(mmapable(8, 4)); Mapping ro = map.mmap(0, PAGE, false)) {
            assertErrno(EACCES, () -> ro.protect(true));
            assertErrno(EACCES, () -> ro.writeLong(0, 1));
        }
    }

    @Test
    void mappingCountsFollowMmapAndMunmap() {
        try (BpfMap map = backend.create(mmapable(8, 4))) {
            Mapping rw = map.mmap(0, PAGE, true);
            Mapping ro = map.mmap(0, PAGE, false);
            assertThat(map.info().mappings()).isEqualTo(2);
            assertThat(map.info().writableMappings()).isEqualTo(1);
            rw.close();
            rw.close();
            assertThat(map.info().writableMappings()).isZero();
            ro.close();
            assertThat(map.info().mappings()).isZero();
        }
    }

    private static MapSpec raw(MapType type, int keySize, int valueSize, int maxEntries, int flags) {
        return new MapSpec("tbl", type, keySize, valueSize, maxEntries, flags, false);
    }
}
