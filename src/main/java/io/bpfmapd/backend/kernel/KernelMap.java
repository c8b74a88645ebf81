package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.BatchResult;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.PageSize;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.SegmentMapping;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.kernel.sys.BtfCommands;
import io.bpfmapd.backend.kernel.sys.Fd;
import io.bpfmapd.backend.kernel.sys.FdInfo;
import io.bpfmapd.backend.kernel.sys.KernelMapInfo;
import io.bpfmapd.backend.kernel.sys.MapCommands;
import io.bpfmapd.backend.kernel.sys.Mmap;
import io.bpfmapd.backend.kernel.sys.ObjCommands;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A kernel BPF array map held through one fd. Every rule is the kernel's: this class only carries
 * bytes to and from bpf(2) and mmap(2). Operations hold the read side of {@link #handle} so that
 * {@link #close()} cannot close the fd under them, which would let a racing call reach whatever
 * object the kernel gives that fd number next.
 */
final class KernelMap implements BpfMap {

    private final KernelBackend backend;
    private final Fd fd;
    private final MapSpec spec;
    private final MapGeometry geometry;
    private final long id;
    private final int valueBytes;
    private final ReentrantReadWriteLock handle = new ReentrantReadWriteLock();
    // The kernel counts writable mappings (writecnt) but does not expose the count; we count ours.
    private final AtomicInteger mappings = new AtomicInteger();
    private final AtomicInteger writableMappings = new AtomicInteger();
    private volatile Path pinnedPath;
    private boolean closed;

    KernelMap(KernelBackend backend, Fd fd, MapGeometry geometry, long id, Path pinnedPath) {
        this.backend = backend;
        this.fd = fd;
        this.spec = geometry.spec();
        this.geometry = geometry;
        this.id = id;
        this.pinnedPath = pinnedPath;
        this.valueBytes = Math.toIntExact(geometry.valueSize());
    }

    @Override
    public MapGeometry geometry() {
        return geometry;
    }

    @Override
    public MapInfo info() {
        return withFd("info", () -> new MapInfo(spec, id, FdInfo.of(fd.value()).frozen(), mappings.get(),
                writableMappings.get(), Optional.ofNullable(pinnedPath)));
    }

    @Override
    public Optional<MapBtf> btf() {
        return withFd("BPF_OBJ_GET_INFO_BY_FD", () -> {
            KernelMapInfo info = ObjCommands.mapInfo(fd.value());
            if (info.btfId() == 0) {
                return Optional.empty();
            }
            try (Fd btf = BtfCommands.fdById(info.btfId())) {
                return Optional.of(new MapBtf(BtfCommands.data(btf.value()), info.btfId(), info.btfKeyTypeId(),
                        info.btfValueTypeId()));
            }
        });
    }

    @Override
    public boolean hasValueType() {
        return withFd("BPF_OBJ_GET_INFO_BY_FD", () -> ObjCommands.mapInfo(fd.value()).btfValueTypeId() != 0);
    }

    @Override
    public byte[] lookup(int index) {
        return withFd("BPF_MAP_LOOKUP_ELEM", () -> MapCommands.lookup(fd.value(), index, valueBytes));
    }

    @Override
    public BatchResult lookupBatch(OptionalInt inBatch, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count);
        }
        return withFd("BPF_MAP_LOOKUP_BATCH", () -> {
            MapCommands.Batch b = MapCommands.lookupBatch(fd.value(), inBatch.isPresent(), inBatch.orElse(0), count,
                    valueBytes);
            List<byte[]> values = new ArrayList<>(b.count());
            for (int i = 0; i < b.count(); i++) {
                values.add(java.util.Arrays.copyOfRange(b.values(), i * valueBytes, (i + 1) * valueBytes));
            }
            return new BatchResult(values, b.count() > 0 ? OptionalInt.of(b.outBatch()) : OptionalInt.empty(),
                    b.enoent());
        });
    }

    @Override
    public void update(int index, byte[] value, UpdateFlag flag) {
        withFd("BPF_MAP_UPDATE_ELEM", () -> {
            // The kernel reads exactly value_size (per CPU: elem_size per possible CPU) bytes from the
            // pointer it is given; a shorter or longer buffer is a caller error the kernel cannot see.
            if (value.length != valueBytes) {
                throw new BpfException(Errno.EINVAL, "BPF_MAP_UPDATE_ELEM",
                        "value of " + value.length + " bytes, the map takes " + valueBytes);
            }
            MapCommands.update(fd.value(), index, value, flag.bits());
            return null;
        });
    }

    @Override
    public void delete(int index) {
        withFd("BPF_MAP_DELETE_ELEM", () -> {
            MapCommands.delete(fd.value(), index);
            return null;
        });
    }

    @Override
    public void freeze() {
        withFd("BPF_MAP_FREEZE", () -> {
            MapCommands.freeze(fd.value());
            return null;
        });
    }

    @Override
    public Mapping mmap(long offset, long length, boolean writable) {
        return withFd("mmap", () -> {
            AtomicReference<SegmentMapping> self = new AtomicReference<>();
            SegmentMapping mapping = map(fd.value(), offset, length, writable, () -> {
                unmapped(writable);
                backend.untrack(self.get());
            });
            self.set(mapping);
            mappings.incrementAndGet();
            if (writable) {
                writableMappings.incrementAndGet();
            }
            backend.track(mapping);
            return mapping;
        });
    }

    @Override
    public void pin(Path path) {
        withFd("BPF_OBJ_PIN", () -> {
            ObjCommands.pin(fd.value(), path.toString());
            pinnedPath = path;
            return null;
        });
    }

    /**
     * Unlinks the pin only if it still pins this map: a pin another program put in its place meanwhile
     * is not ours to remove.
     */
    @Override
    public void unpin(Path path) {
        withFd("unlink", () -> {
            try (Fd pinned = ObjCommands.get(path.toString(), 0)) {
                long pinnedId = ObjCommands.mapInfo(pinned.value()).id();
                if (pinnedId != id) {
                    throw new BpfException(Errno.ENOENT, "unlink", path + " pins map " + pinnedId + " now, not " + id);
                }
            }
            BpfMap.super.unpin(path);
            if (path.equals(pinnedPath)) {
                pinnedPath = null;
            }
            return null;
        });
    }

    /**
     * mmap of a map fd as a backend {@link SegmentMapping}: one shared arena per mapping, whose close
     * munmaps after waiting out every access in flight, so a request racing a close fails cleanly
     * instead of touching unmapped memory. The kernel maps whole pages, and so does this: an access
     * anywhere in them is inside the mapping.
     *
     * @param onUnmap runs once, after munmap, when the mapping is closed
     * @throws BpfException with mmap's errno
     */
    static SegmentMapping map(int fd, long offset, long length, boolean writable, Runnable onUnmap) {
        Arena arena = Arena.ofShared();
        MemorySegment pages;
        try {
            pages = Mmap.map(fd, offset, MapGeometry.roundUp(length, PageSize.machine()), writable, arena, onUnmap);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        return new SegmentMapping(offset, writable, arena, pages, Mmap::protect);
    }

    /** The fd, for tests and for programs that reference the map (BPF_PSEUDO_MAP_FD). */
    int fd() {
        return fd.value();
    }

    long id() {
        return id;
    }

    @Override
    public void close() {
        Lock lock = handle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // The mappings keep their own reference to the map: closing the fd leaves them valid.
            fd.close();
        } finally {
            lock.unlock();
            backend.untrack(this);
        }
    }

    boolean isClosed() {
        handle.readLock().lock();
        try {
            return closed;
        } finally {
            handle.readLock().unlock();
        }
    }

    private void unmapped(boolean writable) {
        mappings.decrementAndGet();
        if (writable) {
            writableMappings.decrementAndGet();
        }
    }

    private <T> T withFd(String operation, Supplier<T> op) {
        Lock lock = handle.readLock();
        lock.lock();
        try {
            if (closed) {
                // What the kernel answers for an fd that is no longer open.
                throw new BpfException(Errno.EBADF, operation, "the map handle " + id + " is closed");
            }
            return op.get();
        } finally {
            lock.unlock();
        }
    }
}
