package io.bpfmapd.variables;

import io.bpfmapd.backend.Availability;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BatchResult;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The emulated backend, whose maps answer {@link BpfMap#btf()} with a BTF of the test's: until a
 * MapSpec carries BTF, the way to give an emulated map a DATASEC value type. Everything else is the
 * emulation's own, errno and order included.
 */
final class SectionBackend implements BpfBackend {

    private final EmulatedBackend emulated;
    private volatile MapBtf nextBtf;

    SectionBackend(Path dataDir) {
        this.emulated = new EmulatedBackend(dataDir);
    }

    /** The next map created has this BTF; null: none. */
    void nextBtf(MapBtf btf) {
        this.nextBtf = btf;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.EMULATED;
    }

    @Override
    public Availability availability() {
        return emulated.availability();
    }

    @Override
    public long pageSize() {
        return emulated.pageSize();
    }

    @Override
    public MapGeometry geometry(MapSpec spec) {
        return emulated.geometry(spec);
    }

    @Override
    public BpfMap create(MapSpec spec) {
        return new Typed(emulated.create(spec), Optional.ofNullable(nextBtf));
    }

    @Override
    public BpfMap open(Path path, io.bpfmapd.backend.Access access) {
        return emulated.open(path, access);
    }

    @Override
    public void close() {
        emulated.close();
    }

    private record Typed(BpfMap map, Optional<MapBtf> btf) implements BpfMap {

        @Override
        public MapInfo info() {
            return map.info();
        }

        @Override
        public MapGeometry geometry() {
            return map.geometry();
        }

        @Override
        public byte[] lookup(int index) {
            return map.lookup(index);
        }

        @Override
        public BatchResult lookupBatch(OptionalInt inBatch, int count) {
            return map.lookupBatch(inBatch, count);
        }

        @Override
        public void update(int index, byte[] value, UpdateFlag flag) {
            map.update(index, value, flag);
        }

        @Override
        public void delete(int index) {
            map.delete(index);
        }

        @Override
        public void freeze() {
            map.freeze();
        }

        @Override
        public Mapping mmap(long offset, long length, boolean writable) {
            return map.mmap(offset, length, writable);
        }

        @Override
        public void pin(Path path) {
            map.pin(path);
        }

        @Override
        public void close() {
            map.close();
        }
    }
}
