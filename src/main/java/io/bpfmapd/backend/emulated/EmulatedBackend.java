package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.Availability;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.PossibleCpus;
import io.bpfmapd.backend.PageSize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The in-JVM emulation of kernel BPF array maps: same checks in the same order, same errno, same
 * bytes. Each map lives in a file under {@code <dataDir>/anon/}, mapped MAP_SHARED; pinning is a hard
 * link of that file, so a pinned map keeps its contents and frozen state across restarts (and
 * {@code kill -9}), and {@link #open} brings it back. Unpinned files are deleted when their map is
 * freed, and swept at construction, under the {@link DataDirLock} the backend holds until it is closed:
 * one instance per data directory. Pure Java, thread-safe.
 */
public final class EmulatedBackend implements BpfBackend {

    static final String OP_OBJ_PIN = "BPF_OBJ_PIN";
    static final String OP_OBJ_GET = "BPF_OBJ_GET";

    /** Emulated maps larger than this fail to allocate (ENOMEM), as the kernel's do past its memory. */
    public static final long DEFAULT_MAX_MAP_BYTES = 1L << 30;

    private final Path dataDir;
    private final Path anonDir;
    private final int cpus;
    private final long pageSize;
    private final long maxMapBytes;
    private final DataDirLock dirLock;
    private final AtomicLong nextId = new AtomicLong(1);
    /** Live maps by the identity of their backing file, so that every handle on one file shares a map. */
    private final Map<Object, MapState> live = new ConcurrentHashMap<>();
    private final Object registryLock = new Object();
    private volatile boolean closed;

    /** Possible CPUs and the page size of this machine, {@link #DEFAULT_MAX_MAP_BYTES}. */
    public EmulatedBackend(Path dataDir) {
        this(dataDir, PossibleCpus.count(), DEFAULT_MAX_MAP_BYTES);
    }

    /** With the page size of this machine, as the kernel backend here would have it. */
    public EmulatedBackend(Path dataDir, int cpus, long maxMapBytes) {
        this(dataDir, cpus, maxMapBytes, PageSize.machine());
    }

    /**
     * @param dataDir     where map files live ({@code anon/} for unpinned maps)
     * @throws DataDirLockedException another instance (process or backend) holds {@code dataDir}
     * @param cpus        possible CPUs, which size per-CPU values
     * @param maxMapBytes the largest map file (header page plus data) that may be created
     * @param pageSize    the emulated kernel's PAGE_SIZE (a power of two): mmap offsets and lengths,
     *                    and the data area's rounding; emulate an arm64 kernel with 16 or 64 KiB here
     */
    public EmulatedBackend(Path dataDir, int cpus, long maxMapBytes, long pageSize) {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be at least 1");
        }
        if (pageSize < MapFile.HEADER_FIELDS || Long.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("pageSize must be a power of two of at least " + MapFile.HEADER_FIELDS
                    + " bytes, got " + pageSize);
        }
        this.pageSize = pageSize;
        this.dataDir = dataDir.toAbsolutePath();
        this.anonDir = this.dataDir.resolve("anon");
        this.cpus = cpus;
        this.maxMapBytes = maxMapBytes;
        // Before the sweep: the files in anon/ may be another live instance's maps.
        this.dirLock = DataDirLock.acquire(this.dataDir);
        try {
            Files.createDirectories(anonDir);
            sweep(anonDir);
        } catch (IOException e) {
            dirLock.close();
            throw new UncheckedIOException("cannot prepare the emulated backend's data directory " + dataDir, e);
        }
    }

    /** Files of unpinned maps left by a process that died; nothing can reach them any more. */
    private static void sweep(Path anonDir) throws IOException {
        try (Stream<Path> files = Files.list(anonDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".map")).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Override
    public BackendKind kind() {
        return BackendKind.EMULATED;
    }

    @Override
    public Availability availability() {
        return Availability.ok("in-JVM emulation, map files under " + dataDir);
    }

    public Path dataDir() {
        return dataDir;
    }

    public int cpus() {
        return cpus;
    }

    @Override
    public long pageSize() {
        return pageSize;
    }

    @Override
    public MapGeometry geometry(MapSpec spec) {
        return MapGeometry.of(spec, cpus, pageSize);
    }

    /** Maps whose memory is still held by a handle, a mapping or a pin. */
    public int liveMapCount() {
        return live.size();
    }

    /** Whether the map with this id is still alive (the kernel: BPF_MAP_GET_FD_BY_ID would find it). */
    public boolean mapExists(long id) {
        return live.values().stream().anyMatch(s -> s.id() == id && !s.isFreed());
    }

    /** Live maps held by at least one pin. */
    public int pinnedMapCount() {
        return (int) live.values().stream().filter(MapState::isPinned).count();
    }

    @Override
    public BpfMap create(MapSpec spec) {
        ensureOpen();
        MapBtf btf = CreateRules.btfOf(spec);
        MapLayout layout = spec.type() == null ? null : MapLayout.of(geometry(spec), btf == null ? 0 : btf.blob().length);
        CreateRules.Checked checked = CreateRules.check(spec, layout == null ? 0 : layout.fileSize(), maxMapBytes);
        MapSpec stored = spec.created(checked.name(), !checked.fields().isEmpty());
        Path file = anonDir.resolve(UUID.randomUUID() + ".map");
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole = MapFile.create(file, stored, checked.btf(), layout, arena);
            Object key = fileKey(file);
            MapState state = new MapState(this, nextId.getAndIncrement(), stored, checked.btf(), checked.fields(), layout,
                    arena, whole, false, key,
                    Optional.of(file));
            live.put(key, state);
            return new EmulatedMap(state, FileMode.ofMapFlags(spec.flags()));
        } catch (IOException | RuntimeException | InternalError e) {
            // InternalError: a fault writing the header (the file shrank under us). Nothing of the
            // map may stay behind: not its mapping, not its file.
            arena.close();
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // swept at the next start
            }
            if (e instanceof IOException io && MapFile.outOfSpace(io)) {
                throw new BpfException(Errno.ENOSPC, CreateRules.OP, "no room for the map's "
                        + layout.fileSize() + "-byte file under " + anonDir + ": " + io.getMessage());
            }
            throw new BpfException(Errno.ENOMEM, CreateRules.OP, "cannot back the map with " + file + ": " + e);
        }
    }

    @Override
    public BpfMap open(Path path, Access access) {
        ensureOpen();
        Path file = path.toAbsolutePath();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new BpfException(Errno.ENOENT, OP_OBJ_GET, "nothing pinned at " + path);
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new BpfException(Errno.EINVAL, OP_OBJ_GET, path + " is not an emulated map file");
        }
        synchronized (registryLock) {
            Object key;
            try {
                key = fileKey(file);
            } catch (IOException e) {
                throw new BpfException(Errno.ENOENT, OP_OBJ_GET, "nothing pinned at " + path);
            }
            MapState existing = live.get(key);
            if (existing != null && existing.tryAcquire()) {
                existing.addPin(file);
                return new EmulatedMap(existing, FileMode.of(access));
            }
            Arena arena = Arena.ofShared();
            try {
                MapFile.Opened opened = MapFile.open(file, cpus, pageSize, arena);
                MapState state = new MapState(this, nextId.getAndIncrement(), opened.spec(), opened.btf(), opened.fields(),
                        opened.layout(), arena,
                        opened.whole(), opened.frozen(), key, Optional.empty());
                // The pin at path holds a reference, the new handle (BPF_OBJ_GET) another.
                state.addPin(file);
                live.put(key, state);
                return new EmulatedMap(state, FileMode.of(access));
            } catch (RuntimeException e) {
                arena.close();
                throw e;
            }
        }
    }

    /** Unmaps every map; files of pinned maps stay, with their bytes and frozen state. */
    @Override
    public void close() {
        closed = true;
        for (MapState state : new ArrayList<>(live.values())) {
            state.shutdown();
        }
        live.clear();
        dirLock.close();
    }

    void forget(MapState state) {
        live.remove(state.fileKey(), state);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the emulated backend is closed");
        }
    }

    private static Object fileKey(Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return attrs.fileKey() != null ? attrs.fileKey() : file.toRealPath();
    }
}
