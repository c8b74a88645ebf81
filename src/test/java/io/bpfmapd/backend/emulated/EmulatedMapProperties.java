package io.bpfmapd.backend.emulated;

import io.bpfmapd.testing.DirectoryTree;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.MappingClosedException;
import io.bpfmapd.backend.UpdateFlag;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random sequences of syscall and mapping operations on one emulated map, checked step by step
 * against a model (a shadow copy of the data area and the kernel's freeze/writecnt rules), and
 * against the invariants: never frozen with a writable mapping, writecnt never negative and equal to
 * the writable mappings, memory freed exactly when the last reference goes, and bytes written on one
 * path visible on the other.
 */
class EmulatedMapProperties {


    enum Kind { UPDATE, LOOKUP, MMAP_RW, MMAP_RO, UNMAP, PROTECT, WRITE, READ, FREEZE, CLOSE_HANDLE }

    record Op(Kind kind, int a, int b, int c) {
    }

    private Path dataDir;
    private EmulatedBackend backend;

    @BeforeTry
    void start() throws IOException {
        dataDir = Files.createTempDirectory("emu-props");
        backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
    }

    @AfterTry
    void stop() throws IOException {
        backend.close();
        DirectoryTree.delete(dataDir);
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 1 << 16),
                Arbitraries.integers().between(0, 1 << 16),
                Arbitraries.integers().between(0, 255)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void operationSequencesKeepTheInvariants(@ForAll @IntRange(min = 1, max = 40) int valueSize,
                                             @ForAll @IntRange(min = 1, max = 1500) int maxEntries,
                                             @ForAll("operations") List<Op> ops) {
        BpfMap map = backend.create(new MapSpec("prop", MapType.ARRAY, 4, valueSize, maxEntries,
                MapFlag.MMAPABLE.bit(), false));
        MapState state = ((EmulatedMap) map).state();
        MapGeometry geometry = map.geometry();
        long elem = geometry.elemSize();
        long dataSize = geometry.dataSize();
        long page = geometry.pageSize();
        byte[] shadow = new byte[(int) dataSize];
        List<Mapping> live = new ArrayList<>();
        boolean handleOpen = true;
        boolean frozen = false;

        for (Op op : ops) {
            switch (op.kind()) {
                case UPDATE -> {
                    int index = op.a() % (maxEntries + 2);
                    byte[] v = value(valueSize, op.c());
                    UpdateFlag flag = UpdateFlag.values()[op.b() % 3];
                    Errno expected = !handleOpen ? Errno.EBADF : frozen ? Errno.EPERM
                            : index >= maxEntries ? Errno.E2BIG : flag == UpdateFlag.NOEXIST ? Errno.EEXIST : null;
                    outcome(expected, () -> map.update(index, v, flag));
                    if (expected == null) {
                        System.arraycopy(v, 0, shadow, (int) (index * elem), valueSize);
                    }
                }
                case LOOKUP -> {
                    int index = op.a() % (maxEntries + 2);
                    Errno expected = !handleOpen ? Errno.EBADF : index >= maxEntries ? Errno.ENOENT : null;
                    outcome(expected, () -> assertThat(map.lookup(index))
                            .containsExactly(Arrays.copyOfRange(shadow, (int) (index * elem), (int) (index * elem) + valueSize)));
                }
                case MMAP_RW, MMAP_RO -> {
                    boolean writable = op.kind() == Kind.MMAP_RW;
                    long pages = dataSize / page;
                    long offset = (op.a() % (pages + 1)) * page;
                    long length = 1 + op.b() % (dataSize + page);
                    boolean fits = offset + geometry.pageAlign(length) <= dataSize;
                    Errno expected = !handleOpen ? Errno.EBADF : writable && frozen ? Errno.EPERM : !fits ? Errno.EINVAL : null;
                    Mapping[] made = new Mapping[1];
                    outcome(expected, () -> made[0] = map.mmap(offset, length, writable));
                    if (made[0] != null) {
                        live.add(made[0]);
                    }
                }
                case UNMAP -> {
                    if (!live.isEmpty()) {
                        Mapping m = live.remove(op.a() % live.size());
                        m.close();
                        assertThatClosed(m);
                    }
                }
                case PROTECT -> {
                    if (!live.isEmpty()) {
                        Mapping m = live.get(op.a() % live.size());
                        boolean makeWritable = op.b() % 2 == 0;
                        outcome(makeWritable && !m.writable() ? Errno.EACCES : null, () -> m.protect(makeWritable));
                    }
                }
                case WRITE -> {
                    if (!live.isEmpty()) {
                        Mapping m = live.get(op.a() % live.size());
                        long at = (op.b() * 8L) % m.length();
                        int len = (int) Math.min(1 + op.c() % 24, m.length() - at);
                        byte[] v = value(len, op.c() + op.b());
                        outcome(m.currentlyWritable() ? null : Errno.EACCES, () -> m.write(at, v, 0, len));
                        if (m.currentlyWritable()) {
                            System.arraycopy(v, 0, shadow, (int) (m.offset() + at), len);
                        }
                    }
                }
                case READ -> {
                    if (!live.isEmpty()) {
                        Mapping m = live.get(op.a() % live.size());
                        byte[] seen = new byte[(int) m.length()];
                        m.read(0, seen, 0, seen.length);
                        assertThat(seen).containsExactly(Arrays.copyOfRange(shadow, (int) m.offset(), (int) (m.offset() + m.length())));
                    }
                }
                case FREEZE -> {
                    boolean writers = live.stream().anyMatch(Mapping::writable);
                    Errno expected = !handleOpen ? Errno.EBADF : frozen ? Errno.EPERM : writers ? Errno.EBUSY : null;
                    outcome(expected, map::freeze);
                    frozen |= expected == null;
                }
                case CLOSE_HANDLE -> {
                    map.close();
                    handleOpen = false;
                }
            }
            checkInvariants(map, state, live, handleOpen, frozen);
        }
        live.forEach(Mapping::close);
        map.close();
        assertThat(state.isFreed()).isTrue();
        assertThat(state.refcnt()).isZero();
        assertThat(backend.liveMapCount()).isZero();
    }

    private void checkInvariants(BpfMap map, MapState state, List<Mapping> live, boolean handleOpen, boolean frozen) {
        long writers = live.stream().filter(Mapping::writable).count();
        assertThat(state.writecnt()).as("writecnt").isNotNegative().isEqualTo((int) writers);
        assertThat(state.frozen() && writers > 0).as("frozen with a writable mapping").isFalse();
        assertThat(state.frozen()).isEqualTo(frozen);
        int references = (handleOpen ? 1 : 0) + live.size();
        assertThat(state.refcnt()).isEqualTo(references);
        assertThat(state.isFreed()).as("freed exactly when the last reference goes").isEqualTo(references == 0);
        assertThat(backend.liveMapCount()).isEqualTo(references == 0 ? 0 : 1);
        if (handleOpen) {
            MapInfo info = map.info();
            assertThat(info.mappings()).isEqualTo(live.size());
            assertThat(info.writableMappings()).isEqualTo((int) writers);
            assertThat(info.frozen() && info.writableMappings() > 0).isFalse();
        }
    }

    private static void assertThatClosed(Mapping m) {
        assertThat(m.isClosed()).isTrue();
        try {
            m.readLong(0);
            fail("read through a closed mapping");
        } catch (MappingClosedException expected) {
            // the clean error, not a crash
        }
    }

    private static byte[] value(int size, int seed) {
        byte[] v = new byte[size];
        for (int i = 0; i < size; i++) {
            v[i] = (byte) (seed * 13 + i * 17 + 1);
        }
        return v;
    }

    private static void outcome(Errno expected, Runnable call) {
        try {
            call.run();
        } catch (BpfException e) {
            assertThat(e.errno()).as(e.getMessage()).isEqualTo(expected);
            return;
        }
        assertThat(expected).as("expected " + expected + " but the call succeeded").isNull();
    }
}
