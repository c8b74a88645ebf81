package io.bpfmapd.bench;

import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
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

import java.util.concurrent.TimeUnit;

/**
 * What an mmap session costs the backend, without HTTP: mmap of the whole value area of a 1M-entry u64
 * array, read-only, then munmap (closing the mapping's shared arena). The HTTP open+close pairs of
 * {@code src/bench/sessions.sh} are this plus the request handling.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MappingLifecycleBenchmark {

    @Param({BenchBackends.KERNEL, BenchBackends.EMULATED})
    public String backend;

    private BpfBackend bpf;
    private BpfMap map;
    private long length;

    @Setup(Level.Trial)
    public void create() {
        bpf = BenchBackends.open(backend);
        map = bpf.create(new MapSpec("bench_mmap", MapType.ARRAY, 4, Long.BYTES, ElementAccessBenchmark.ENTRIES,
                MapFlag.MMAPABLE.bit(), false));
        length = (long) ElementAccessBenchmark.ENTRIES * Long.BYTES;
    }

    @TearDown(Level.Trial)
    public void release() {
        map.close();
        BenchBackends.close(bpf);
    }

    @Benchmark
    public boolean mmapAndClose() {
        Mapping mapping = map.mmap(0, length, false);
        mapping.close();
        return mapping.isClosed();
    }
}
