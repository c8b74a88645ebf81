package io.bpfmapd.variables;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.Availability;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import java.nio.file.Path;

/**
 * The emulated backend, creating its next map with a BTF of the test's (MapSpec's btf, which POST /maps
 * builds from a valueType description, and which cannot describe a DATASEC: only a loader makes those).
 * The map is the emulation's own, BTF checks, errno and order included.
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
    public BpfMap create(MapSpec spec) {
        return emulated.create(new MapSpec(spec.name(), spec.type(), spec.keySize(), spec.valueSize(), spec.maxEntries(),
                spec.flags(), spec.valueHasSpinLock(), nextBtf));
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
    public BpfMap open(Path path, Access access) {
        return emulated.open(path, access);
    }

    @Override
    public void close() {
        emulated.close();
    }
}
