package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.Availability;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BackendUnavailableException;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.PageSize;
import io.bpfmapd.backend.PossibleCpus;
import io.bpfmapd.backend.SpinLockBtf;
import io.bpfmapd.backend.kernel.sys.BtfCommands;
import io.bpfmapd.backend.kernel.sys.Fd;
import io.bpfmapd.backend.kernel.sys.FdInfo;
import io.bpfmapd.backend.kernel.sys.KernelMapInfo;
import io.bpfmapd.backend.kernel.sys.MapCommands;
import io.bpfmapd.backend.kernel.sys.MapCreateAttr;
import io.bpfmapd.backend.kernel.sys.ObjCommands;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * BPF array maps in the running kernel, through bpf(2) and mmap(2) over the FFM API. Probes once at
 * construction; on a machine where the probe failed every operation throws
 * {@link BackendUnavailableException} with the probe's reason.
 */
public final class KernelBackend implements BpfBackend {

    private final Availability availability;
    private final Availability readOnlyOpens;
    private final int possibleCpus;
    private final Set<KernelMap> maps = ConcurrentHashMap.newKeySet();
    private final Set<Mapping> mappings = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public KernelBackend() {
        this(KernelProbe.run(), true);
    }

    /**
     * A kernel backend switched off by configuration: it does not probe, reports itself unavailable for
     * {@code reason}, and refuses every operation with {@link BackendUnavailableException}, as a kernel
     * backend whose probe failed does.
     */
    public static KernelBackend disabled(String reason) {
        return new KernelBackend(Availability.unavailable(reason));
    }

    /** With a given probe answer: lets tests see how an unavailable backend behaves on any machine. */
    KernelBackend(Availability availability) {
        this(availability, false);
    }

    /** @param probeReadOnly when the full probe failed, ask the kernel whether read-only opens still work */
    private KernelBackend(Availability availability, boolean probeReadOnly) {
        this.availability = availability;
        this.readOnlyOpens = availability.available() || !probeReadOnly ? availability
                : KernelProbe.readOnlyOpens(availability);
        this.possibleCpus = PossibleCpus.count();
    }

    @Override
    public Availability readOnlyOpens() {
        return readOnlyOpens;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.KERNEL;
    }

    @Override
    public Availability availability() {
        return availability;
    }

    /** The machine's: the kernel's PAGE_SIZE, read once. */
    @Override
    public long pageSize() {
        return PageSize.machine();
    }

    @Override
    public MapGeometry geometry(MapSpec spec) {
        return MapGeometry.of(spec, possibleCpus, pageSize());
    }

    @Override
    public BpfMap create(MapSpec spec) {
        ensureAvailable();
        MapBtf btf = spec.btf() != null ? spec.btf() : spec.valueHasSpinLock() ? SpinLockBtf.mapBtf(spec.valueSize()) : null;
        Fd fd = btf == null ? MapCommands.create(attr(spec, -1, null)) : createWithBtf(spec, btf);
        return adopt(fd, () -> {
            KernelMapInfo info = ObjCommands.mapInfo(fd.value());
            MapSpec created = spec.created(spec.name(), btf != null && hasSpecialFields(fd, spec.type(), info));
            return new KernelMap(this, fd, geometry(created), info.id(), null);
        });
    }

    @Override
    public BpfMap open(Path path, Access access) {
        ensureAvailable(access == Access.READ_ONLY ? readOnlyOpens : availability);
        Fd fd = ObjCommands.get(path.toString(), access.fileFlags());
        return adopt(fd, () -> {
            // BPF_OBJ_GET opens programs and BTF objects too; only a map's fdinfo has a map_type line.
            int kernelType = FdInfo.of(fd.value()).mapType().orElseThrow(() -> new BpfException(Errno.EINVAL,
                    "BPF_OBJ_GET", path + " is a pinned BPF object but not a map"));
            MapType type = MapType.ofKernelType(kernelType).orElseThrow(() -> new BpfException(Errno.EINVAL,
                    "BPF_OBJ_GET", path + " is a map of type " + kernelType + ", not an array (2) or per-CPU array (6)"));
            KernelMapInfo info = ObjCommands.mapInfo(fd.value());
            MapSpec spec = new MapSpec(info.name(), type, info.keySize(), info.valueSize(), info.maxEntries(),
                    info.mapFlags(), hasSpecialFields(fd, type, info));
            return new KernelMap(this, fd, geometry(spec), info.id(), path);
        });
    }

    @Override
    public void close() {
        closed = true;
        for (Mapping m : List.copyOf(mappings)) {
            m.close();
        }
        for (KernelMap m : List.copyOf(maps)) {
            m.close();
        }
    }

    /** Map handles this backend opened and nobody closed yet. */
    int openMapCount() {
        return maps.size();
    }

    /** Mappings made through this backend and not yet unmapped. */
    int liveMappingCount() {
        return mappings.size();
    }

    void track(Mapping mapping) {
        mappings.add(mapping);
    }

    void untrack(Mapping mapping) {
        mappings.remove(mapping);
    }

    void untrack(KernelMap map) {
        maps.remove(map);
    }

    private void ensureAvailable() {
        ensureAvailable(availability);
    }

    private void ensureAvailable(Availability answer) {
        if (!answer.available()) {
            throw new BackendUnavailableException(BackendKind.KERNEL, answer.reason());
        }
        if (closed) {
            throw new BackendUnavailableException(BackendKind.KERNEL, "the kernel backend is closed");
        }
    }

    private KernelMap adopt(Fd fd, Supplier<KernelMap> make) {
        KernelMap map;
        try {
            map = make.get();
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
        maps.add(map);
        return map;
    }

    /**
     * BPF_BTF_LOAD, then BPF_MAP_CREATE with the BTF fd and type ids: special fields (a spin lock, a
     * timer) exist for the kernel only when the map is created with BTF that says so
     * (kernel/bpf/syscall.c map_check_btf). The BTF object may be closed once the map holds it.
     */
    private static Fd createWithBtf(MapSpec spec, MapBtf btf) {
        try (Fd btfFd = BtfCommands.load(btf.blob())) {
            return MapCommands.create(attr(spec, btfFd.value(), btf));
        }
    }

    private static MapCreateAttr attr(MapSpec spec, int btfFd, MapBtf btf) {
        return new MapCreateAttr(spec.type().kernelType(), spec.keySize(), spec.valueSize(), spec.maxEntries(),
                spec.flags(), spec.name(), btfFd, btf == null ? 0 : btf.keyTypeId(), btf == null ? 0 : btf.valueTypeId());
    }

    /**
     * Whether an opened map's value has special fields (spin lock, timer, kptr). Only BTF can say, and
     * the kernel answers the question directly: bpf_map_mmap refuses such a map with ENOTSUPP before any
     * other check of the map (kernel/bpf/syscall.c), so a read-only mapping attempt tells, and leaves
     * nothing behind. Per-CPU arrays cannot hold a spin lock (map_check_btf: EOPNOTSUPP).
     */
    private static boolean hasSpecialFields(Fd fd, MapType type, KernelMapInfo info) {
        if (type != MapType.ARRAY || info.btfValueTypeId() == 0) {
            return false;
        }
        // Through a read-only fd the probe still tells: bpf_map_mmap's ENOTSUPP for special fields
        // comes before its VM_SHARED check (EINVAL).
        try {
            KernelMap.map(fd.value(), 0, PageSize.machine(), false, () -> { }).close();
            return false;
        } catch (BpfException e) {
            return e.errno() == Errno.ENOTSUPP;
        }
    }
}
