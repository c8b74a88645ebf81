package io.bpfmapd.backend;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.bpfmapd.backend.MapFlag.INNER_MAP;
import static io.bpfmapd.backend.MapFlag.MMAPABLE;
import static io.bpfmapd.backend.MapFlag.NUMA_NODE;
import static io.bpfmapd.backend.MapFlag.PRESERVE_ELEMS;
import static io.bpfmapd.backend.MapFlag.RDONLY;
import static io.bpfmapd.backend.MapFlag.RDONLY_PROG;
import static io.bpfmapd.backend.MapFlag.WRONLY;
import static io.bpfmapd.backend.MapFlag.WRONLY_PROG;
import static io.bpfmapd.backend.MapType.ARRAY;
import static io.bpfmapd.backend.MapType.PERCPU_ARRAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The rules every {@link BpfBackend} follows, each with the errno the KERNEL returns (Linux 6.18,
 * kernel/bpf/syscall.c, kernel/bpf/arraymap.c, mm/mmap.c), and every scenario of the kernel selftest
 * tools/testing/selftests/bpf/prog_tests/mmap.c that needs no BPF program. One subclass per backend.
 * Every map and mapping a test opens is closed after it, and the backend must then hold nothing.
 */
public abstract class BpfBackendContract {


    /** The backend under test; the subclass owns its lifecycle. */
    protected abstract BpfBackend backend();

    /** Whether the map with this id still exists (the kernel: BPF_MAP_GET_FD_BY_ID succeeds). */
    protected abstract boolean mapExists(long id);

    /** An empty directory where this test may pin maps (bpffs for the kernel). */
    protected abstract Path pinDirectory();

    /** Called after every test once all it opened is closed: assert the backend holds nothing. */
    protected abstract void assertNothingLeaked();

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        List<Throwable> failures = new ArrayList<>();
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        assertThat(failures).as("closing what the test opened").isEmpty();
        assertNothingLeaked();
    }

    // ---- helpers ----

    /** The backend's PAGE_SIZE: every size below that depends on it is written in pages. */
    protected long page() {
        return backend().pageSize();
    }

    /** Entries of 16 bytes that fill 4 pages but for 384 bytes: 1000 with 4 KiB pages. */
    protected int almostFourPagesOf16() {
        return Math.toIntExact((4 * page() - 384) / 16);
    }

    /** u64 elements in {@code pages} pages. */
    protected int u64sIn(long pages) {
        return Math.toIntExact(pages * page() / 8);
    }

    protected BpfMap create(MapType type, int valueSize, int maxEntries, MapFlag... flags) {
        return create(new MapSpec("contract", type, 4, valueSize, maxEntries, MapFlag.toBits(flagSet(flags)), false));
    }

    protected BpfMap create(MapSpec spec) {
        BpfMap map = backend().create(spec);
        opened.push(map);
        return map;
    }

    protected Mapping mmap(BpfMap map, long offset, long length, boolean writable) {
        Mapping m = map.mmap(offset, length, writable);
        opened.push(m);
        return m;
    }

    protected static MapSpec spec(MapType type, int valueSize, int maxEntries, int flags) {
        return new MapSpec("contract", type, 4, valueSize, maxEntries, flags, false);
    }

    protected static MapSpec spinLockSpec(MapType type, int valueSize, int flags) {
        return new MapSpec("locked", type, 4, valueSize, 4, flags, true);
    }

    private static java.util.Set<MapFlag> flagSet(MapFlag... flags) {
        return flags.length == 0 ? java.util.EnumSet.noneOf(MapFlag.class) : java.util.EnumSet.copyOf(Arrays.asList(flags));
    }

    protected static BpfException assertErrno(Errno errno, Executable call) {
        BpfException e = assertThrows(BpfException.class, call);
        assertThat(e.errno()).as(e.getMessage()).isEqualTo(errno);
        return e;
    }

    protected static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + 1);
        }
        return b;
    }

    protected static long le(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }

    protected static byte[] u64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    protected static int cpus() {
        return PossibleCpus.count();
    }

    // ==== BPF_MAP_CREATE ====

    @Nested
    class Create {

        @Test
        void createsAnArrayThatReadsAsItsSpec() {
            BpfMap map = create(new MapSpec("counters", ARRAY, 4, 12, 100, MMAPABLE.bit(), false));
            MapInfo info = map.info();
            assertThat(info.spec()).isEqualTo(new MapSpec("counters", ARRAY, 4, 12, 100, MMAPABLE.bit(), false));
            assertThat(info.frozen()).isFalse();
            assertThat(info.mappings()).isZero();
            assertThat(info.writableMappings()).isZero();
            assertThat(info.pinnedPath()).isEmpty();
            assertThat(mapExists(info.id())).isTrue();
        }

        @Test
        void refusesBadSizes() {
            assertErrno(Errno.EINVAL, () -> create(new MapSpec("k", ARRAY, 8, 8, 4, 0, false)));
            assertErrno(Errno.EINVAL, () -> create(new MapSpec("k", ARRAY, 0, 8, 4, 0, false)));
            assertErrno(Errno.EINVAL, () -> create(spec(ARRAY, 0, 4, 0)));
            assertErrno(Errno.EINVAL, () -> create(spec(ARRAY, 8, 0, 0)));
            assertErrno(Errno.EINVAL, () -> create(spec(PERCPU_ARRAY, 0, 4, 0)));
            assertErrno(Errno.EINVAL, () -> create(new MapSpec("k", PERCPU_ARRAY, 2, 8, 4, 0, false)));
        }

        @Test
        void refusesUnknownFlags() {
            assertErrno(Errno.EINVAL, () -> create(spec(ARRAY, 8, 4, 1 << 20)));
            // BPF_F_NO_PREALLOC (bit 0) is for hash maps; arrays are always preallocated.
            assertErrno(Errno.EINVAL, () -> create(spec(ARRAY, 8, 4, 1)));
            // BPF_F_ZERO_SEED (bit 6) and BPF_F_CLONE (bit 9) belong to other map types.
            assertErrno(Errno.EINVAL, () -> create(spec(ARRAY, 8, 4, 1 << 6)));
            assertErrno(Errno.EINVAL, () -> create(spec(ARRAY, 8, 4, 1 << 9)));
        }

        @Test
        void mmapableAndInnerMapOnlyOnPlainArrays() {
            assertErrno(Errno.EINVAL, () -> create(PERCPU_ARRAY, 8, 4, MMAPABLE));
            assertErrno(Errno.EINVAL, () -> create(PERCPU_ARRAY, 8, 4, INNER_MAP));
            assertThat(create(ARRAY, 8, 4, INNER_MAP).info().spec().has(INNER_MAP)).isTrue();
            assertThat(create(ARRAY, 8, 4, MMAPABLE, INNER_MAP).info().spec().flags())
                    .isEqualTo(MMAPABLE.bit() | INNER_MAP.bit());
        }

        @Test
        void preserveElemsBelongsToPerfEventArrays() {
            assertErrno(Errno.EINVAL, () -> create(ARRAY, 8, 4, PRESERVE_ELEMS));
            assertErrno(Errno.EINVAL, () -> create(PERCPU_ARRAY, 8, 4, PRESERVE_ELEMS));
        }

        @Test
        void contradictoryAccessFlagsAreRefused() {
            assertErrno(Errno.EINVAL, () -> create(ARRAY, 8, 4, RDONLY, WRONLY));
            assertErrno(Errno.EINVAL, () -> create(ARRAY, 8, 4, RDONLY_PROG, WRONLY_PROG));
            assertErrno(Errno.EINVAL, () -> create(PERCPU_ARRAY, 8, 4, RDONLY_PROG, WRONLY_PROG));
            create(ARRAY, 8, 4, RDONLY, RDONLY_PROG);
            create(ARRAY, 8, 4, WRONLY, WRONLY_PROG);
        }

        @Test
        void numaNodeZeroIsFineForArraysButPerCpuArraysRefuseAnyNode() {
            create(ARRAY, 8, 4, NUMA_NODE);
            create(ARRAY, 8, 4, NUMA_NODE, MMAPABLE);
            assertErrno(Errno.EINVAL, () -> create(PERCPU_ARRAY, 8, 4, NUMA_NODE));
        }

        @Test
        void valueSizeAboveIntMaxIsTooBig() {
            assertErrno(Errno.E2BIG, () -> create(spec(ARRAY, Integer.MIN_VALUE, 1, 0)));
            assertErrno(Errno.E2BIG, () -> create(spec(ARRAY, -1, 1, 0)));
            assertErrno(Errno.E2BIG, () -> create(spec(PERCPU_ARRAY, -8, 1, 0)));
        }

        @Test
        void perCpuValueIsBoundByThePercpuAllocatorUnit() {
            create(PERCPU_ARRAY, 32768, 1);
            assertErrno(Errno.E2BIG, () -> create(spec(PERCPU_ARRAY, 32769, 1, 0)));
        }

        @Test
        void aMapTooLargeToAllocateIsENOMEM() {
            // 16 TiB: more than any machine this runs on; the kernel's vmalloc refuses it at once.
            assertErrno(Errno.ENOMEM, () -> create(spec(ARRAY, 4096, -1, 0)));
            assertErrno(Errno.ENOMEM, () -> create(spec(ARRAY, 4096, -1, MMAPABLE.bit())));
        }

        @Test
        void namesFollowBpfObjNameCpy() {
            assertThat(create(new MapSpec("a_b.C9", ARRAY, 4, 8, 1, 0, false)).info().spec().name()).isEqualTo("a_b.C9");
            assertThat(create(new MapSpec("", ARRAY, 4, 8, 1, 0, false)).info().spec().name()).isEmpty();
            assertThat(create(new MapSpec("x".repeat(15), ARRAY, 4, 8, 1, 0, false)).info().spec().name()).hasSize(15);
            assertErrno(Errno.EINVAL, () -> create(new MapSpec("x".repeat(16), ARRAY, 4, 8, 1, 0, false)));
            assertErrno(Errno.EINVAL, () -> create(new MapSpec("a-b", ARRAY, 4, 8, 1, 0, false)));
            assertErrno(Errno.EINVAL, () -> create(new MapSpec("a b", ARRAY, 4, 8, 1, 0, false)));
            assertErrno(Errno.EINVAL, () -> create(new MapSpec("caf\u00e9", ARRAY, 4, 8, 1, 0, false)));
        }

        @Test
        void theNameIsCheckedAfterTheSizesAndTheAllocation() {
            // map_create: array_map_alloc_check, then map_alloc, then bpf_obj_name_cpy.
            assertErrno(Errno.E2BIG, () -> create(new MapSpec("bad-name", ARRAY, 4, Integer.MIN_VALUE, 1, 0, false)));
            assertErrno(Errno.ENOMEM, () -> create(new MapSpec("bad-name", ARRAY, 4, 4096, -1, 0, false)));
            assertErrno(Errno.EINVAL, () -> create(new MapSpec("bad-name", ARRAY, 8, Integer.MIN_VALUE, 1, 0, false)));
        }

        @Test
        void aSpinLockValueIsCheckedAfterTheName() {
            // map_check_btf: special fields rule out the *_PROG access flags (EACCES), and a spin
            // lock lives only in a plain ARRAY among our types (EOPNOTSUPP).
            assertErrno(Errno.EACCES, () -> create(spinLockSpec(ARRAY, 8, RDONLY_PROG.bit())));
            assertErrno(Errno.EACCES, () -> create(spinLockSpec(ARRAY, 8, WRONLY_PROG.bit())));
            assertErrno(Errno.EACCES, () -> create(spinLockSpec(PERCPU_ARRAY, 8, RDONLY_PROG.bit())));
            assertErrno(Errno.EOPNOTSUPP, () -> create(spinLockSpec(PERCPU_ARRAY, 8, 0)));
            assertErrno(Errno.EINVAL, () -> create(new MapSpec("bad-name", PERCPU_ARRAY, 4, 8, 4, 0, true)));
            create(spinLockSpec(ARRAY, 8, 0));
        }

        @Test
        void aSpinLockDoesNotStopAnMmapableArrayFromBeingCreated() {
            BpfMap map = create(spinLockSpec(ARRAY, 8, MMAPABLE.bit()));
            assertThat(map.info().spec().valueHasSpinLock()).isTrue();
        }
    }

    // ==== lookup, update, delete ====

    @Nested
    class Elements {

        @Test
        void elementsStartZeroedAndReadBackWhatWasWritten() {
            BpfMap map = create(ARRAY, 12, 8);
            assertThat(map.lookup(7)).containsExactly(new byte[12]);
            byte[] v = bytes(12, 3);
            map.update(7, v, UpdateFlag.ANY);
            assertThat(map.lookup(7)).containsExactly(v);
            assertThat(map.lookup(6)).containsExactly(new byte[12]);
            byte[] w = bytes(12, 4);
            map.update(7, w, UpdateFlag.EXIST);
            assertThat(map.lookup(7)).containsExactly(w);
        }

        @Test
        void outOfRangeIndexes() {
            BpfMap map = create(ARRAY, 8, 4);
            assertErrno(Errno.ENOENT, () -> map.lookup(4));
            assertErrno(Errno.ENOENT, () -> map.lookup(-1));
            assertErrno(Errno.E2BIG, () -> map.update(4, new byte[8], UpdateFlag.ANY));
            assertErrno(Errno.E2BIG, () -> map.update(-1, new byte[8], UpdateFlag.EXIST));
        }

        @Test
        void noexistIsEexistBecauseArrayElementsAlwaysExist() {
            BpfMap map = create(ARRAY, 8, 4);
            assertErrno(Errno.EEXIST, () -> map.update(0, new byte[8], UpdateFlag.NOEXIST));
            // array_map_update_elem checks the index before the flag.
            assertErrno(Errno.E2BIG, () -> map.update(9, new byte[8], UpdateFlag.NOEXIST));
        }

        @Test
        void arrayElementsCannotBeDeleted() {
            BpfMap map = create(ARRAY, 8, 4);
            assertErrno(Errno.EINVAL, () -> map.delete(0));
            assertErrno(Errno.EINVAL, () -> map.delete(100));
            BpfMap percpu = create(PERCPU_ARRAY, 8, 4);
            assertErrno(Errno.EINVAL, () -> percpu.delete(0));
        }

        @Test
        void aValueOfTheWrongSizeIsEinval() {
            BpfMap map = create(ARRAY, 8, 4);
            assertErrno(Errno.EINVAL, () -> map.update(0, new byte[7], UpdateFlag.ANY));
            assertErrno(Errno.EINVAL, () -> map.update(0, new byte[9], UpdateFlag.ANY));
        }

        @Test
        void aValueShorterThanItsSlotLeavesThePaddingAlone() {
            BpfMap map = create(ARRAY, 5, 4, MMAPABLE);
            Mapping m = mmap(map, 0, page(), true);
            m.writeLong(8, 0xAABBCCDDEEFF0011L);
            map.update(1, new byte[]{1, 2, 3, 4, 5}, UpdateFlag.ANY);
            // Element 1 sits at elem_size = 8; update copied value_size = 5 bytes of it.
            assertThat(m.readLong(8)).isEqualTo(0xAABBCC0504030201L);
            assertThat(map.lookup(1)).containsExactly(1, 2, 3, 4, 5);
        }

        @Test
        void perCpuValuesHoldOneSlotPerPossibleCpuWithPadding() {
            BpfMap map = create(PERCPU_ARRAY, 4, 2);
            int size = 8 * cpus();
            assertThat(map.lookup(1)).hasSize(size).containsOnly(0);
            byte[] v = bytes(size, 9);
            map.update(1, v, UpdateFlag.ANY);
            // bpf_percpu_array_update and _copy move whole 8-byte words per CPU.
            assertThat(map.lookup(1)).containsExactly(v);
            assertThat(map.lookup(0)).containsOnly(0);
            assertErrno(Errno.EINVAL, () -> map.update(0, new byte[4], UpdateFlag.ANY));
            assertErrno(Errno.EEXIST, () -> map.update(0, new byte[size], UpdateFlag.NOEXIST));
            assertErrno(Errno.E2BIG, () -> map.update(2, new byte[size], UpdateFlag.ANY));
            assertErrno(Errno.ENOENT, () -> map.lookup(2));
        }
    }

    // ==== fd permissions: map_get_sys_perms and do_mmap ====

    @Nested
    class Permissions {

        @Test
        void aReadOnlyHandleReadsButNeitherWritesNorFreezes() {
            BpfMap map = create(ARRAY, 8, 4, RDONLY, MMAPABLE);
            assertThat(map.lookup(0)).containsOnly(0);
            assertErrno(Errno.EPERM, () -> map.update(0, new byte[8], UpdateFlag.ANY));
            assertErrno(Errno.EPERM, () -> map.update(99, new byte[8], UpdateFlag.NOEXIST));
            assertErrno(Errno.EPERM, () -> map.delete(0));
            assertErrno(Errno.EPERM, () -> map.freeze());
            // do_mmap: PROT_WRITE through a read-only fd is EACCES; MAP_SHARED of it loses VM_SHARED,
            // which bpf_map_mmap refuses with EINVAL.
            assertErrno(Errno.EACCES, () -> mmap(map, 0, page(), true));
            assertErrno(Errno.EINVAL, () -> mmap(map, 0, page(), false));
            assertThat(map.info().frozen()).isFalse();
        }

        @Test
        void aWriteOnlyHandleWritesAndFreezesButNeitherReadsNorMaps() {
            BpfMap map = create(ARRAY, 8, 4, WRONLY, MMAPABLE);
            assertErrno(Errno.EPERM, () -> map.lookup(0));
            assertErrno(Errno.EPERM, () -> map.lookup(99));
            map.update(0, u64(5), UpdateFlag.ANY);
            assertErrno(Errno.EACCES, () -> mmap(map, 0, page(), false));
            assertErrno(Errno.EACCES, () -> mmap(map, 0, page(), true));
            map.freeze();
            assertErrno(Errno.EPERM, () -> map.update(0, u64(6), UpdateFlag.ANY));
        }

        @Test
        void fileModeChecksComeBeforeTheMapsOwnRules() {
            BpfMap percpuRo = create(PERCPU_ARRAY, 8, 4, RDONLY);
            assertErrno(Errno.EACCES, () -> mmap(percpuRo, 0, page(), true));
            // bpf_map_mmap refuses a map without mmap (ENOTSUPP) before it looks at VM_SHARED.
            assertErrno(Errno.ENOTSUPP, () -> mmap(percpuRo, 0, page(), false));
            BpfMap percpuWo = create(PERCPU_ARRAY, 8, 4, WRONLY);
            assertErrno(Errno.EACCES, () -> mmap(percpuWo, 0, page(), false));
        }
    }

    // ==== BPF_MAP_FREEZE ====

    @Nested
    class Freeze {

        @Test
        void aFrozenMapRefusesSyscallWritesButStillReads() {
            BpfMap map = create(ARRAY, 8, 4);
            map.update(1, u64(42), UpdateFlag.ANY);
            map.freeze();
            assertThat(map.info().frozen()).isTrue();
            assertThat(le(map.lookup(1), 0)).isEqualTo(42);
            assertErrno(Errno.EPERM, () -> map.update(1, u64(43), UpdateFlag.ANY));
            assertErrno(Errno.EPERM, () -> map.update(1, u64(43), UpdateFlag.EXIST));
            // map_get_sys_perms comes first: out of range, NOEXIST and delete are EPERM too.
            assertErrno(Errno.EPERM, () -> map.update(99, u64(43), UpdateFlag.ANY));
            assertErrno(Errno.EPERM, () -> map.update(1, u64(43), UpdateFlag.NOEXIST));
            assertErrno(Errno.EPERM, () -> map.delete(1));
            assertErrno(Errno.ENOENT, () -> map.lookup(99));
        }

        @Test
        void freezingTwiceIsEperm() {
            BpfMap map = create(ARRAY, 8, 4);
            map.freeze();
            assertErrno(Errno.EPERM, map::freeze);
        }

        @Test
        void perCpuAndUnmappableArraysFreezeToo() {
            BpfMap percpu = create(PERCPU_ARRAY, 8, 4);
            percpu.freeze();
            assertThat(percpu.info().frozen()).isTrue();
            assertErrno(Errno.EPERM, () -> percpu.update(0, new byte[8 * cpus()], UpdateFlag.ANY));
            BpfMap plain = create(ARRAY, 8, 4);
            plain.freeze();
            assertThat(plain.info().frozen()).isTrue();
        }

        @Test
        void aSpinLockValueCannotBeFrozenNorMapped() {
            BpfMap map = create(spinLockSpec(ARRAY, 8, MMAPABLE.bit()));
            assertErrno(Errno.ENOTSUPP, map::freeze);
            assertErrno(Errno.ENOTSUPP, () -> mmap(map, 0, page(), false));
            assertErrno(Errno.ENOTSUPP, () -> mmap(map, 0, page(), true));
            // ENOTSUPP comes before the fd's write permission (map_freeze).
            BpfMap readOnly = create(spinLockSpec(ARRAY, 8, RDONLY.bit() | MMAPABLE.bit()));
            assertErrno(Errno.ENOTSUPP, readOnly::freeze);
            assertErrno(Errno.EACCES, () -> mmap(readOnly, 0, page(), true));
            assertErrno(Errno.ENOTSUPP, () -> mmap(readOnly, 0, page(), false));
        }
    }

    // ==== mmap ====

    @Nested
    class Mmap {

        @Test
        void onlyMmapableArraysMap() {
            BpfMap plain = create(ARRAY, 8, 4);
            assertErrno(Errno.EINVAL, () -> mmap(plain, 0, page(), false));
            assertErrno(Errno.EINVAL, () -> mmap(plain, 0, page(), true));
            BpfMap percpu = create(PERCPU_ARRAY, 8, 4);
            assertErrno(Errno.ENOTSUPP, () -> mmap(percpu, 0, page(), false));
            assertErrno(Errno.ENOTSUPP, () -> mmap(percpu, 0, page(), true));
            assertThat(plain.info().writableMappings()).isZero();
        }

        @Test
        void offsetAndLengthAreCheckedByMmapItselfFirst() {
            BpfMap percpu = create(PERCPU_ARRAY, 8, 4);
            assertErrno(Errno.EINVAL, () -> mmap(percpu, 0, 0, false));
            assertErrno(Errno.EINVAL, () -> mmap(percpu, 8, page(), false));
            BpfMap writeOnly = create(ARRAY, 8, 4, WRONLY, MMAPABLE);
            assertErrno(Errno.EINVAL, () -> mmap(writeOnly, 0, 0, false));
            assertErrno(Errno.EINVAL, () -> mmap(writeOnly, 8, page(), false));
            BpfMap map = create(ARRAY, 8, 4, MMAPABLE);
            assertErrno(Errno.EINVAL, () -> mmap(map, 1, page(), true));
            assertErrno(Errno.EINVAL, () -> mmap(map, page() / 2, page(), false));
            assertErrno(Errno.EOVERFLOW, () -> mmap(map, -page(), page(), false));
            assertThat(map.info().mappings()).isZero();
        }

        @Test
        void theMapsGeometryIsTheBackendsAndSizesLookupsAndMappings() {
            BpfMap map = create(ARRAY, 12, 10, MMAPABLE);
            MapGeometry g = map.geometry();
            assertThat(g).isEqualTo(backend().geometry(map.info().spec()));
            assertThat(g.pageSize()).isEqualTo(backend().pageSize());
            assertThat(g.dataSize()).isEqualTo(page());
            assertThat((long) map.lookup(9).length).isEqualTo(g.valueSize());
            assertThat(mmap(map, 0, g.dataSize(), false).length()).isEqualTo(g.dataSize());
            BpfMap percpu = create(PERCPU_ARRAY, 12, 10);
            assertThat((long) percpu.lookup(9).length).isEqualTo(percpu.geometry().valueSize())
                    .isEqualTo(16L * percpu.geometry().possibleCpus());
        }

        @Test
        void lengthIsRoundedUpToAPage() {
            BpfMap map = create(ARRAY, 8, 4, MMAPABLE);
            Mapping m = mmap(map, 0, 1, false);
            assertThat(m.length()).isEqualTo(page());
            assertThat(m.offset()).isZero();
            assertThat(m.writable()).isFalse();
        }

        @Test
        void theMappableAreaIsPageAlignedMaxEntriesTimesElemSize() {
            // entries * round_up(12, 8) is 384 bytes short of 4 pages (with 4 KiB pages: 1000 * 16 = 16000).
            BpfMap map = create(ARRAY, 12, almostFourPagesOf16(), MMAPABLE);
            Mapping whole = mmap(map, 0, 4 * page(), false);
            assertThat(whole.length()).isEqualTo(4 * page());
            assertErrno(Errno.EINVAL, () -> mmap(map, 0, 4 * page() + 1, false));
            assertErrno(Errno.EINVAL, () -> mmap(map, 4 * page(), page(), false));
            assertErrno(Errno.EINVAL, () -> mmap(map, 3 * page(), 2 * page(), true));
            assertThat(map.info().writableMappings()).isZero();
            assertThat(map.info().mappings()).isEqualTo(1);
        }

        @Test
        void elementIIsAtIElemSizeOfTheMapping() {
            BpfMap map = create(ARRAY, 12, almostFourPagesOf16(), MMAPABLE);
            Mapping m = mmap(map, 0, 4 * page(), true);
            byte[] v = bytes(12, 5);
            map.update(700, v, UpdateFlag.ANY);
            byte[] seen = new byte[12];
            m.read(700 * 16, seen, 0, 12);
            assertThat(seen).containsExactly(v);
            byte[] w = bytes(12, 6);
            m.write(999 * 16, w, 0, 12);
            assertThat(map.lookup(999)).containsExactly(w);
        }

        @Test
        void writableOnAFrozenMapIsEpermReadOnlyIsFine() {
            BpfMap map = create(ARRAY, 8, 4, MMAPABLE);
            map.freeze();
            assertErrno(Errno.EPERM, () -> mmap(map, 0, page(), true));
            Mapping m = mmap(map, 0, page(), false);
            assertThat(m.readLong(0)).isZero();
            // The frozen check comes before BPF_F_MMAPABLE's.
            BpfMap plain = create(ARRAY, 8, 4);
            plain.freeze();
            assertErrno(Errno.EPERM, () -> mmap(plain, 0, page(), true));
            assertErrno(Errno.EINVAL, () -> mmap(plain, 0, page(), false));
        }

        @Test
        void aProgramReadOnlyMapMapsReadOnly() {
            BpfMap map = create(ARRAY, 8, 4, MMAPABLE, RDONLY_PROG);
            assertErrno(Errno.EACCES, () -> mmap(map, 0, page(), true));
            mmap(map, 0, page(), false).close();
            map.freeze();
            // frozen is checked before BPF_F_RDONLY_PROG.
            assertErrno(Errno.EPERM, () -> mmap(map, 0, page(), true));
            BpfMap plain = create(ARRAY, 8, 4, RDONLY_PROG);
            assertErrno(Errno.EACCES, () -> mmap(plain, 0, page(), true));
            assertErrno(Errno.EINVAL, () -> mmap(plain, 0, page(), false));
        }

        @Test
        void aReadOnlyMappingRefusesWritesAndCanNeverBecomeWritable() {
            BpfMap map = create(ARRAY, 8, 4, MMAPABLE);
            Mapping ro = mmap(map, 0, page(), false);
            assertErrno(Errno.EACCES, () -> ro.writeLong(0, 1));
            assertErrno(Errno.EACCES, () -> ro.write(0, new byte[1], 0, 1));
            assertErrno(Errno.EACCES, () -> ro.protect(true));
            assertThat(ro.currentlyWritable()).isFalse();
            assertThat(map.lookup(0)).containsOnly(0);
        }

        @Test
        void accessesBeyondTheMappingAreRefused() {
            BpfMap map = create(ARRAY, 8, 4, MMAPABLE);
            Mapping m = mmap(map, 0, page(), true);
            assertThatThrownBy(() -> m.readLong(page() - 4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> m.writeLong(page(), 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> m.read(-1, new byte[1], 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            // Bytes past max_entries * elem_size but inside the page are mapped (and zero).
            assertThat(m.readLong(page() - 8)).isZero();
        }

        @Test
        void aClosedMappingFailsCleanly() {
            BpfMap map = create(ARRAY, 8, 4, MMAPABLE);
            Mapping m = mmap(map, 0, page(), true);
            m.close();
            m.close();
            assertThat(m.isClosed()).isTrue();
            assertThatThrownBy(() -> m.readLong(0)).isInstanceOf(MappingClosedException.class);
            assertThatThrownBy(() -> m.writeLong(0, 1)).isInstanceOf(MappingClosedException.class);
            assertThat(map.info().mappings()).isZero();
            assertThat(map.info().writableMappings()).isZero();
        }

        @Test
        void mappingsAreCounted() {
            BpfMap map = create(ARRAY, 8, u64sIn(2), MMAPABLE);
            Mapping a = mmap(map, 0, page(), true);
            Mapping b = mmap(map, page(), page(), false);
            Mapping c = mmap(map, 0, 2 * page(), true);
            assertThat(map.info().mappings()).isEqualTo(3);
            assertThat(map.info().writableMappings()).isEqualTo(2);
            a.close();
            b.close();
            assertThat(map.info().mappings()).isEqualTo(1);
            assertThat(map.info().writableMappings()).isEqualTo(1);
            c.close();
            assertThat(map.info().mappings()).isZero();
            assertThat(map.info().writableMappings()).isZero();
        }
    }

    // ==== tools/testing/selftests/bpf/prog_tests/mmap.c, the parts without a BPF program ====

    @Nested
    class KernelMmapSelftest {

        /** The selftest's data map: four pages of u64 values (512 * 4 with 4 KiB pages), BPF_F_MMAPABLE. */
        private BpfMap dataMap() {
            return create(new MapSpec("data_map", ARRAY, 4, 8, u64sIn(4), MMAPABLE.bit(), false));
        }

        @Test
        void mapsTheWholeAreaAndSeesSyscallWritesAndViceVersa() {
            BpfMap map = dataMap();
            Mapping m = mmap(map, 0, 4 * page(), true);
            map.update(0, u64(321), UpdateFlag.ANY);
            map.update(2047, u64(3 * 321), UpdateFlag.ANY);
            assertThat(m.readLong(0)).isEqualTo(321);
            assertThat(m.readLong(2047 * 8)).isEqualTo(3 * 321);
            m.writeLong(8 * 1000, 0x1234);
            assertThat(le(map.lookup(1000), 0)).isEqualTo(0x1234);
        }

        @Test
        void aReadOnlyMappingCannotBeMprotectedWritable() {
            BpfMap map = dataMap();
            Mapping ro = mmap(map, 0, 4 * page(), false);
            assertErrno(Errno.EACCES, () -> ro.protect(true));
        }

        @Test
        void freezeIsBusyWhileAWritableMappingExistsEvenAfterMprotectReadOnly() {
            BpfMap map = dataMap();
            Mapping rw = mmap(map, 0, 4 * page(), true);
            assertErrno(Errno.EBUSY, map::freeze);
            rw.protect(false);
            assertThat(rw.currentlyWritable()).isFalse();
            assertErrno(Errno.EACCES, () -> rw.writeLong(0, 1));
            // "unmap R/W mapping first": a downgraded mapping still counts in writecnt.
            assertErrno(Errno.EBUSY, map::freeze);
            assertThat(map.info().writableMappings()).isEqualTo(1);
            rw.protect(true);
            rw.writeLong(0, 7);
            rw.close();
            map.freeze();
            assertThat(map.info().frozen()).isTrue();
            // After freeze: R/W mmap is EPERM, R/O still works and sees the last write.
            assertErrno(Errno.EPERM, () -> mmap(map, 0, 4 * page(), true));
            Mapping ro = mmap(map, 0, 4 * page(), false);
            assertThat(ro.readLong(0)).isEqualTo(7);
        }

        @Test
        void aReadOnlyMappingDoesNotBlockFreeze() {
            BpfMap map = dataMap();
            Mapping ro = mmap(map, 0, 4 * page(), false);
            map.freeze();
            assertThat(ro.readLong(0)).isZero();
        }

        @Test
        void partialWindowsAtPageOffsetsSeeTheRightBytes() {
            BpfMap map = dataMap();
            Mapping whole = mmap(map, 0, 4 * page(), true);
            for (int page = 0; page < 4; page++) {
                whole.writeLong(page * page(), 100 + page);
            }
            Mapping second = mmap(map, page(), 2 * page(), false);
            assertThat(second.offset()).isEqualTo(page());
            assertThat(second.length()).isEqualTo(2 * page());
            assertThat(second.readLong(0)).isEqualTo(101);
            assertThat(second.readLong(page())).isEqualTo(102);
            Mapping last = mmap(map, 3 * page(), page(), true);
            last.writeLong(8, 999);
            assertThat(le(map.lookup(u64sIn(3) + 1), 0)).isEqualTo(999);
            assertThat(whole.readLong(3 * page() + 8)).isEqualTo(999);
            assertErrno(Errno.EINVAL, () -> mmap(map, 3 * page(), 2 * page(), false));
            assertErrno(Errno.EINVAL, () -> mmap(map, 4 * page() + page(), page(), false));
        }

        @Test
        void mappingBeyondTheMapIsEinval() {
            BpfMap map = dataMap();
            assertErrno(Errno.EINVAL, () -> mmap(map, 0, 5 * page(), false));
            assertErrno(Errno.EINVAL, () -> mmap(map, 0, 5 * page(), true));
            assertThat(map.info().writableMappings()).isZero();
            // writecnt went back down: freeze works.
            map.freeze();
        }

        @Test
        void theMappingOutlivesTheMapHandleAndTheMapGoesWithTheLastMapping() {
            BpfMap map = backend().create(new MapSpec("data_map", ARRAY, 4, 8, u64sIn(4), MMAPABLE.bit(), false));
            long id = map.info().id();
            map.update(5, u64(55), UpdateFlag.ANY);
            Mapping rw = map.mmap(0, 4 * page(), true);
            Mapping ro = map.mmap(page(), page(), false);
            map.close();
            assertThat(mapExists(id)).isTrue();
            assertThat(rw.readLong(5 * 8)).isEqualTo(55);
            rw.writeLong(page() + 16, 66);
            assertThat(ro.readLong(16)).isEqualTo(66);
            rw.close();
            assertThat(mapExists(id)).isTrue();
            assertThat(ro.readLong(16)).isEqualTo(66);
            ro.close();
            assertThat(mapExists(id)).isFalse();
        }

        @Test
        void aClosedHandleRefusesEveryCall() {
            BpfMap map = backend().create(spec(ARRAY, 8, 4, MMAPABLE.bit()));
            long id = map.info().id();
            map.close();
            map.close();
            assertErrno(Errno.EBADF, () -> map.lookup(0));
            assertErrno(Errno.EBADF, () -> map.update(0, new byte[8], UpdateFlag.ANY));
            assertErrno(Errno.EBADF, map::freeze);
            assertErrno(Errno.EBADF, () -> map.mmap(0, page(), false));
            assertThat(mapExists(id)).isFalse();
        }
    }

    // ==== BTF (bpf_map_info btf_id, BPF_BTF_GET_FD_BY_ID) ====

    @Nested
    class MapBtfs {

        @Test
        void aMapWithoutBtfIsUntyped() {
            assertThat(create(ARRAY, 8, 4).btf()).isEmpty();
            assertThat(create(PERCPU_ARRAY, 8, 4).btf()).isEmpty();
        }

        /** Both backends describe a spin-lock value alike: struct value { struct bpf_spin_lock lock; ... }. */
        @Test
        void aSpinLockValueHasItsBtf() {
            BpfMap map = create(spinLockSpec(ARRAY, 20, 0));
            io.bpfmapd.backend.MapBtf btf = map.btf().orElseThrow();
            io.bpfmapd.btf.Btf types = io.bpfmapd.btf.Btf.parse(btf.blob());
            assertThat(types.sizeOf(btf.keyTypeId())).isEqualTo(4);
            assertThat(types.sizeOf(btf.valueTypeId())).isEqualTo(20);
            assertThat(types.resolve(btf.valueTypeId())).isInstanceOfSatisfying(io.bpfmapd.btf.BtfType.Struct.class, value ->
                    assertThat(types.type(value.members().getFirst().type()).name()).isEqualTo("bpf_spin_lock"));
        }

        @Test
        void aClosedHandleIsEbadf() {
            BpfMap map = backend().create(spinLockSpec(ARRAY, 8, 0));
            map.close();
            assertErrno(Errno.EBADF, map::btf);
        }
    }

    // ==== pinning (BPF_OBJ_PIN / BPF_OBJ_GET) ====

    @Nested
    class Pinning {

        @Test
        void aPinnedMapOpensAsTheSameMap() {
            BpfMap map = create(ARRAY, 8, 4, MMAPABLE);
            Path path = pinDirectory().resolve("pinned_map");
            map.pin(path);
            map.update(2, u64(77), UpdateFlag.ANY);
            BpfMap again = backend().open(path);
            opened.push(again);
            assertThat(le(again.lookup(2), 0)).isEqualTo(77);
            assertThat(again.info().id()).isEqualTo(map.info().id());
            assertThat(again.info().spec()).isEqualTo(map.info().spec());
            again.freeze();
            assertThat(map.info().frozen()).isTrue();
            assertErrno(Errno.EPERM, () -> map.update(2, u64(1), UpdateFlag.ANY));
        }

        @Test
        void pinningTwiceAtOnePathIsEexist() {
            BpfMap map = create(ARRAY, 8, 4);
            Path path = pinDirectory().resolve("twice");
            map.pin(path);
            assertErrno(Errno.EEXIST, () -> map.pin(path));
        }

        @Test
        void openingNothingIsEnoent() {
            assertErrno(Errno.ENOENT, () -> backend().open(pinDirectory().resolve("nothing_here")));
        }

        @Test
        void unpinDropsThePinsReferenceAndTheMapGoesWithItsLastHandle() {
            BpfMap map = backend().create(new MapSpec("unpinned", ARRAY, 4, 8, 4, MMAPABLE.bit(), false));
            long id = map.info().id();
            Path path = pinDirectory().resolve("unpin_me");
            map.pin(path);
            map.update(1, u64(5), UpdateFlag.ANY);

            map.unpin(path);

            assertThat(path).doesNotExist();
            assertErrno(Errno.ENOENT, () -> backend().open(path));
            assertThat(map.info().pinnedPath()).isEmpty();
            assertThat(le(map.lookup(1), 0)).isEqualTo(5);
            assertThat(mapExists(id)).isTrue();
            map.close();
            assertThat(mapExists(id)).isFalse();
        }

        @Test
        void unpinningAnotherMapsPinIsEnoentAndLeavesIt() {
            BpfMap pinned = create(ARRAY, 8, 4);
            BpfMap other = create(ARRAY, 8, 4);
            Path path = pinDirectory().resolve("not_yours");
            pinned.pin(path);

            assertErrno(Errno.ENOENT, () -> other.unpin(path));

            BpfMap again = backend().open(path);
            opened.push(again);
            assertThat(again.info().id()).isEqualTo(pinned.info().id());
        }

        @Test
        void aPinnedReadOnlyMapOpensReadWrite() {
            // BPF_OBJ_GET with file_flags 0 gives a read-write fd whatever BPF_F_RDONLY said.
            BpfMap map = create(ARRAY, 8, 4, RDONLY);
            Path path = pinDirectory().resolve("ro");
            map.pin(path);
            BpfMap again = backend().open(path);
            opened.push(again);
            again.update(0, u64(3), UpdateFlag.ANY);
            assertThat(le(map.lookup(0), 0)).isEqualTo(3);
        }
    }

    // ==== concurrency ====

    @Nested
    class Concurrency {

        @Test
        void writableMmapAndFreezeNeverBothWin() throws Exception {
            int threads = 8;
            for (int round = 0; round < 40; round++) {
                BpfMap map = create(ARRAY, 8, 512, MMAPABLE);
                CyclicBarrier start = new CyclicBarrier(threads);
                AtomicInteger freezes = new AtomicInteger();
                List<Mapping> writable = java.util.Collections.synchronizedList(new ArrayList<>());
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        boolean freezer = t % 2 == 0;
                        done.add(pool.submit(() -> {
                            start.await();
                            try {
                                if (freezer) {
                                    map.freeze();
                                    freezes.incrementAndGet();
                                } else {
                                    writable.add(map.mmap(0, page(), true));
                                }
                            } catch (BpfException e) {
                                assertThat(e.errno()).isIn(Errno.EBUSY, Errno.EPERM);
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get(30, TimeUnit.SECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                    writable.forEach(opened::push);
                }
                MapInfo info = map.info();
                assertThat(freezes.get()).isLessThanOrEqualTo(1);
                if (freezes.get() == 1) {
                    assertThat(writable).as("a writable mapping next to a successful freeze").isEmpty();
                    assertThat(info.frozen()).isTrue();
                } else {
                    assertThat(writable).isNotEmpty();
                    assertThat(info.frozen()).isFalse();
                }
                assertThat(info.writableMappings()).isEqualTo(writable.size());
            }
        }

        @Test
        void readsRacingAMappingCloseGetDataOrAClosedError() throws Exception {
            BpfMap map = create(ARRAY, 8, u64sIn(8), MMAPABLE);
            map.update(0, u64(0x5A5A), UpdateFlag.ANY);
            for (int round = 0; round < 30; round++) {
                Mapping m = map.mmap(0, 8 * page(), round % 2 == 0);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger reads = new AtomicInteger();
                AtomicInteger closedErrors = new AtomicInteger();
                CountDownLatch running = new CountDownLatch(4);
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<?>> readers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    readers.add(pool.submit(() -> {
                        running.countDown();
                        byte[] buf = new byte[8 * (int) page()];
                        while (!stop.get()) {
                            try {
                                assertThat(m.readLong(0)).isEqualTo(0x5A5A);
                                m.read(0, buf, 0, buf.length);
                                reads.incrementAndGet();
                            } catch (MappingClosedException e) {
                                closedErrors.incrementAndGet();
                                return null;
                            }
                        }
                        return null;
                    }));
                }
                running.await();
                m.close();
                for (Future<?> f : readers) {
                    // Every reader ends on its own: after the close, the next read fails cleanly.
                    f.get(30, TimeUnit.SECONDS);
                }
                stop.set(true);
                pool.shutdownNow();
                assertThat(closedErrors.get()).isEqualTo(4);
            }
            assertThat(map.info().mappings()).isZero();
        }
    }

}
