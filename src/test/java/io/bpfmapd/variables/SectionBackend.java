package io.bpfmapd.variables;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.Availability;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import java.nio.file.Path;

/**
 * A backend creating its next map with a BTF of the test's (MapSpec's btf, which POST /maps builds from a
 * valueType description, and which cannot describe a DATASEC: only a loader makes those). The map is the
 * backend's own: the kernel loads the BTF (BPF_BTF_LOAD) and checks it, the emulation as map_check_btf does.
 */
final class SectionBackend implements BpfBackend {

    private final BpfBackend delegate;
    private volatile MapBtf nextBtf;

    SectionBackend(BpfBackend backend) {
        this.delegate = backend;
    }

    /** The next map created has this BTF; null: none. */
    void nextBtf(MapBtf btf) {
        this.nextBtf = btf;
    }

    @Override
    public BpfMap create(MapSpec spec) {
        return delegate.create(new MapSpec(spec.name(), spec.type(), spec.keySize(), spec.valueSize(), spec.maxEntries(),
                spec.flags(), spec.valueHasSpinLock(), nextBtf));
    }

    @Override
    public BackendKind kind() {
        return delegate.kind();
    }

    @Override
    public Availability availability() {
        return delegate.availability();
    }

    @Override
    public long pageSize() {
        return delegate.pageSize();
    }

    @Override
    public MapGeometry geometry(MapSpec spec) {
        return delegate.geometry(spec);
    }

    @Override
    public BpfMap open(Path path, Access access) {
        return delegate.open(path, access);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
