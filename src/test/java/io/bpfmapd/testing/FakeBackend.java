package io.bpfmapd.testing;

import io.bpfmapd.backend.Availability;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BackendUnavailableException;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.SegmentMapping;
import io.bpfmapd.backend.UpdateFlag;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small stand-in for a backend, for testing the service layer on its own: the freeze/writecnt rule,
 * mmap bounds and the update/lookup errno of arrays, nothing more. The real rules live in the backends.
 */
public final class FakeBackend implements BpfBackend {

    private final BackendKind kind;
    private final Availability availability;
    private final int cpus;
    private final AtomicLong ids = new AtomicLong(1);
    /** Mappings alive across every map; a test fails if any is left after it. */
    public final AtomicInteger liveMappings = new AtomicInteger();
    public final AtomicInteger openHandles = new AtomicInteger();

    public FakeBackend(BackendKind kind, Availability availability, int cpus) {
        this.kind = kind;
        this.availability = availability;
        this.cpus = cpus;
    }

    public static FakeBackend emulated() {
        return new FakeBackend(BackendKind.EMULATED, Availability.ok("fake, in memory"), 2);
    }

    @Override
    public BackendKind kind() {
        return kind;
    }

    @Override
    public Availability availability() {
        return availability;
    }

    @Override
    public long pageSize() {
        return 4096;
    }

    @Override
    public MapGeometry geometry(MapSpec spec) {
        return MapGeometry.of(spec, cpus, pageSize());
    }

    @Override
    public BpfMap create(MapSpec spec) {
        if (!availability.available()) {
            throw new BackendUnavailableException(kind, availability.reason());
        }
        if (spec.keySize() != 4 || spec.valueSize() <= 0 || spec.maxEntries() <= 0) {
            throw new BpfException(Errno.EINVAL, "BPF_MAP_CREATE", "bad sizes");
        }
        if (spec.has(MapFlag.MMAPABLE) && spec.type() != MapType.ARRAY) {
            throw new BpfException(Errno.EINVAL, "BPF_MAP_CREATE", "MMAPABLE on a non-array");
        }
        if ((long) spec.valueSize() * spec.maxEntries() > (1L << 30)) {
            throw new BpfException(Errno.E2BIG, "BPF_MAP_CREATE", "too large");
        }
        openHandles.incrementAndGet();
        return new FakeMap(spec, ids.getAndIncrement());
    }

    @Override
    public BpfMap open(Path path) {
        throw new BpfException(Errno.ENOENT, "BPF_OBJ_GET", "the fake pins nothing");
    }

    @Override
    public void close() {
    }

    private final class FakeMap implements BpfMap {

        private final MapSpec spec;
        private final long id;
        private final MemorySegment data;
        private final Object freezeMutex = new Object();
        private final AtomicInteger mappings = new AtomicInteger();
        private final AtomicInteger writecnt = new AtomicInteger();
        private volatile boolean frozen;
        private volatile boolean closed;

        FakeMap(MapSpec spec, long id) {
            this.spec = spec;
            this.id = id;
            long perElem = geometry().stride();
            long size = spec.type() == MapType.PERCPU_ARRAY ? perElem * spec.maxEntries()
                    : geometry().dataSize();
            // The data stays allocated until the JVM frees it: the fake never reuses memory.
            this.data = Arena.ofAuto().allocate(size, 4096);
        }

        private long valueBytes() {
            return geometry().valueSize();
        }

        private long stride() {
            return geometry().stride();
        }

        @Override
        public MapGeometry geometry() {
            return FakeBackend.this.geometry(spec);
        }

        @Override
        public MapInfo info() {
            return new MapInfo(spec, id, frozen, mappings.get(), writecnt.get(), Optional.empty());
        }

        @Override
        public byte[] lookup(int index) {
            if (index < 0 || index >= spec.maxEntries()) {
                throw new BpfException(Errno.ENOENT, "BPF_MAP_LOOKUP_ELEM", "index out of range");
            }
            byte[] out = new byte[(int) valueBytes()];
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, index * stride(), out, 0, out.length);
            return out;
        }

        @Override
        public void update(int index, byte[] value, UpdateFlag flag) {
            if (frozen) {
                throw new BpfException(Errno.EPERM, "BPF_MAP_UPDATE_ELEM", "frozen");
            }
            if (index < 0 || index >= spec.maxEntries()) {
                throw new BpfException(Errno.E2BIG, "BPF_MAP_UPDATE_ELEM", "index out of range");
            }
            if (flag == UpdateFlag.NOEXIST) {
                throw new BpfException(Errno.EEXIST, "BPF_MAP_UPDATE_ELEM", "array elements always exist");
            }
            if (value.length != valueBytes()) {
                throw new BpfException(Errno.EINVAL, "BPF_MAP_UPDATE_ELEM", "value of " + value.length + " bytes");
            }
            MemorySegment.copy(value, 0, data, ValueLayout.JAVA_BYTE, index * stride(), value.length);
        }

        @Override
        public void delete(int index) {
            throw new BpfException(Errno.EINVAL, "BPF_MAP_DELETE_ELEM", "arrays");
        }

        @Override
        public void freeze() {
            synchronized (freezeMutex) {
                if (spec.valueHasSpinLock()) {
                    throw new BpfException(Errno.ENOTSUPP, "BPF_MAP_FREEZE", "spin lock");
                }
                if (frozen) {
                    throw new BpfException(Errno.EPERM, "BPF_MAP_FREEZE", "already frozen");
                }
                if (writecnt.get() > 0) {
                    throw new BpfException(Errno.EBUSY, "BPF_MAP_FREEZE", "a writable mapping exists");
                }
                frozen = true;
            }
        }

        @Override
        public Mapping mmap(long offset, long length, boolean writable) {
            synchronized (freezeMutex) {
                if (spec.type() != MapType.ARRAY || spec.valueHasSpinLock()) {
                    throw new BpfException(Errno.ENOTSUPP, "mmap", "no mmap");
                }
                if (writable && frozen) {
                    throw new BpfException(Errno.EPERM, "mmap", "frozen");
                }
                if (!spec.has(MapFlag.MMAPABLE)) {
                    throw new BpfException(Errno.EINVAL, "mmap", "not MMAPABLE");
                }
                long len = geometry().pageAlign(length);
                if (offset < 0 || length <= 0 || !geometry().isPageAligned(offset) || offset + len > data.byteSize()) {
                    throw new BpfException(Errno.EINVAL, "mmap", "out of range");
                }
                mappings.incrementAndGet();
                liveMappings.incrementAndGet();
                if (writable) {
                    writecnt.incrementAndGet();
                }
                Arena arena = Arena.ofShared();
                MemorySegment window = data.asSlice(offset, len).reinterpret(arena, s -> {
                    mappings.decrementAndGet();
                    liveMappings.decrementAndGet();
                    if (writable) {
                        writecnt.decrementAndGet();
                    }
                });
                return new SegmentMapping(offset, writable, arena, writable ? window : window.asReadOnly(),
                        (s, w) -> { });
            }
        }

        @Override
        public void pin(Path path) {
            throw new BpfException(Errno.EPERM, "BPF_OBJ_PIN", "the fake pins nothing");
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                openHandles.decrementAndGet();
            }
        }
    }
}
