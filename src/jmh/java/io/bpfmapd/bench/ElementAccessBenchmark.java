package io.bpfmapd.bench;

import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.UpdateFlag;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * One u64 element of a 1M-entry {@code BPF_F_MMAPABLE} array, read and written through a read-write
 * mapping of the whole value area, and through the syscall path (BPF_MAP_LOOKUP_ELEM / UPDATE_ELEM).
 * The indexes walk the map with a large odd stride, so successive accesses land on different pages and
 * neither path is measured on one hot cache line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ElementAccessBenchmark {

    /** 2^20 entries: "1M", and a power of two so that the index walk is a mask. */
    static final int ENTRIES = 1 << 20;
    static final int VALUE_SIZE = Long.BYTES;
    /** Odd, so the walk visits every index; about 40 pages apart. */
    private static final int STRIDE = 40_503;
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    @Param({BenchBackends.KERNEL, BenchBackends.EMULATED})
    public String backend;

    private BpfBackend bpf;
    private BpfMap map;
    private Mapping mapping;
    private final byte[] value = new byte[VALUE_SIZE];
    private int index;
    private long counter;

    @Setup(Level.Trial)
    public void create() {
        bpf = BenchBackends.open(backend);
        map = bpf.create(new MapSpec("bench_elem", MapType.ARRAY, 4, VALUE_SIZE, ENTRIES, MapFlag.MMAPABLE.bit(), false));
        mapping = map.mmap(0, (long) ENTRIES * VALUE_SIZE, true);
    }

    @TearDown(Level.Trial)
    public void release() {
        mapping.close();
        map.close();
        BenchBackends.close(bpf);
    }

    private int nextIndex() {
        index = (index + STRIDE) & (ENTRIES - 1);
        return index;
    }

    @Benchmark
    public long mmapRead() {
        return mapping.readLong((long) nextIndex() * VALUE_SIZE);
    }

    @Benchmark
    public void mmapWrite() {
        mapping.writeLong((long) nextIndex() * VALUE_SIZE, ++counter);
    }

    @Benchmark
    public byte[] syscallLookup() {
        return map.lookup(nextIndex());
    }

    @Benchmark
    public void syscallUpdate() {
        U64.set(value, 0, ++counter);
        map.update(nextIndex(), value, UpdateFlag.ANY);
    }
}
