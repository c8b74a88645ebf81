package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.IoErrno;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.SegmentMapping;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One emulated map: the kernel's {@code struct bpf_map} with its array. Every handle, mapping and
 * pin holds one reference ({@code refcnt}); the memory is unmapped, and an unpinned map's file
 * deleted, exactly when the last one goes. {@link #freezeMutex} makes freeze and the writable-mmap
 * decision atomic, as the kernel's {@code freeze_mutex}; accesses through a mapping take no lock.
 */
final class MapState {

    static final String OP_UNPIN = "unlink";

    private static final long TASK_SIZE = 0x7fff_ffff_f000L; // x86_64 user address space (TASK_SIZE_MAX)

    private final EmulatedBackend backend;
    private final long id;
    private final MapSpec spec;
    private final MapBtf btf;
    private final SpecialFields specialFields;
    private final MapLayout layout;
    private final Arena arena;
    private final MemorySegment whole;
    private final MemorySegment data;
    private final Object fileKey;
    /** The anonymous backing link deleted on free; empty for a map opened from its pin. */
    private final Optional<Path> anonFile;

    private final AtomicInteger refcnt = new AtomicInteger(1);
    private final AtomicBoolean freed = new AtomicBoolean();
    private final ReentrantLock freezeMutex = new ReentrantLock();
    /** The kernel's {@code writecnt}: writable mappings plus syscall updates and deletes in flight. */
    private final AtomicInteger writecnt = new AtomicInteger();
    private final AtomicInteger mappings = new AtomicInteger();
    private final AtomicInteger writableMappings = new AtomicInteger();
    private final Set<Mapping> liveMappings = ConcurrentHashMap.newKeySet();
    private final List<Path> pins = new CopyOnWriteArrayList<>();
    private volatile boolean frozen;
    /** Set once a page of the file was found gone (SIGBUS): every later access is refused, see {@link MapFaults}. */
    private volatile boolean broken;

    MapState(EmulatedBackend backend, long id, MapSpec spec, MapBtf btf, SpecialFields specialFields, MapLayout layout,
             Arena arena, MemorySegment whole, boolean frozen, Object fileKey, Optional<Path> anonFile) {
        this.backend = backend;
        this.id = id;
        this.spec = spec;
        this.btf = btf;
        this.specialFields = specialFields;
        this.layout = layout;
        this.arena = arena;
        this.whole = whole;
        this.data = MapFile.data(whole, layout);
        this.frozen = frozen;
        this.fileKey = fileKey;
        this.anonFile = anonFile;
    }

    long id() {
        return id;
    }

    /** The BTF the map was created with, or null. */
    MapBtf btf() {
        return btf;
    }

    /** What map_check_btf found in the value: what a lookup zeroes and an update leaves alone. */
    SpecialFields specialFields() {
        return specialFields;
    }

    MapSpec spec() {
        return spec;
    }

    MapLayout layout() {
        return layout;
    }

    MapGeometry geometry() {
        return layout.geometry();
    }

    Object fileKey() {
        return fileKey;
    }

    boolean frozen() {
        return frozen;
    }

    boolean broken() {
        return broken;
    }

    void markBroken() {
        broken = true;
    }

    /** A link of the backing file, to look at its size: the anonymous file, else a pin. */
    Optional<Path> file() {
        return anonFile.or(() -> pins.stream().findFirst());
    }

    /** The data area; valid only while a reference is held. */
    MemorySegment data() {
        return data;
    }

    MapInfo info() {
        return new MapInfo(spec, id, frozen, mappings.get(), writableMappings.get(),
                pins.isEmpty() ? Optional.empty() : Optional.of(pins.getFirst()));
    }

    // ---- references (the kernel's refcnt/usercnt, folded into one count) ----

    /**
     * Takes a reference unless the map is already gone (refcnt reached 0, or the backend shut down and
     * freed it). A reference taken as the shutdown frees the map is still released by its holder.
     */
    boolean tryAcquire() {
        int n;
        do {
            n = refcnt.get();
            if (n <= 0 || freed.get()) {
                return false;
            }
        } while (!refcnt.compareAndSet(n, n + 1));
        return true;
    }

    /**
     * Drops one reference; the last one frees the map. Every holder releases exactly once, even after
     * a shutdown freed the map under it, so a count below zero is always a double release.
     */
    void release() {
        int n = refcnt.decrementAndGet();
        if (n == 0) {
            free();
        } else if (n < 0) {
            throw new IllegalStateException("map " + id + ": reference released twice");
        }
    }

    int refcnt() {
        return Math.max(refcnt.get(), 0);
    }

    boolean isFreed() {
        return freed.get();
    }

    int writecnt() {
        return writecnt.get();
    }

    private void free() {
        if (!freed.compareAndSet(false, true)) {
            return;
        }
        // Closing a shared arena waits out accesses in flight; later ones fail cleanly.
        arena.close();
        anonFile.ifPresent(f -> {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // Swept at the next start; the pages are unmapped already.
            }
        });
        backend.forget(this);
    }

    /**
     * Backend shutdown: unmaps every mapping and drops the pins' references, then the map goes. Under
     * {@link #freezeMutex}, which {@link #mmap} holds while it makes a mapping: a mapping is a segment of
     * its own scope over this map's memory, so one made after the map was freed would be a window on
     * unmapped pages.
     */
    void shutdown() {
        freezeMutex.lock();
        try {
            // Mapping.close returns once the mapping is unmapped, also when another thread was closing
            // it: after this loop no mapping is left whose accesses could reach the memory freed below.
            for (Mapping m : liveMappings) {
                m.close();
            }
            for (Path pin : pins) {
                // An unpin racing this one drops the pin's reference instead, never both.
                if (pins.remove(pin)) {
                    release();
                }
            }
            // Handles still open keep their references, which they release when closed; their calls
            // get EBADF from now on. The memory goes now, whatever they hold.
            free();
        } finally {
            freezeMutex.unlock();
        }
    }

    // ---- pins ----

    void pin(Path path) {
        // A map reopened from its pin has no anonymous file: its pins are its only links.
        Path target = anonFile.or(() -> pins.stream().findFirst()).orElseThrow(() -> new BpfException(Errno.EPERM,
                EmulatedBackend.OP_OBJ_PIN, "map " + id + " has no file left to link: its pins were removed"));
        try {
            Files.createLink(path, target);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new BpfException(Errno.EEXIST, EmulatedBackend.OP_OBJ_PIN, path + " exists");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BpfException(Errno.ENOENT, EmulatedBackend.OP_OBJ_PIN, "no directory for " + path);
        } catch (IOException e) {
            // link(2)'s own errno, as the kernel's bpf_obj_do_pin passes on vfs_mkobj's (EROFS, ENOTDIR,
            // ENOSPC...); one the JDK does not name stays EPERM, the kernel's answer for a pin it cannot make.
            Errno errno = IoErrno.of(e);
            throw new BpfException(errno == Errno.EUNKNOWN ? Errno.EPERM : errno, EmulatedBackend.OP_OBJ_PIN,
                    "cannot pin at " + path + ": " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            // No hard links on this file system: the kernel's EPERM for a pin outside bpffs.
            throw new BpfException(Errno.EPERM, EmulatedBackend.OP_OBJ_PIN, "cannot pin at " + path + ": " + e);
        }
        addPin(path);
    }

    /** A pin holds a reference of its own, as a bpffs inode holds the map. */
    void addPin(Path path) {
        if (!pins.contains(path) && tryAcquire()) {
            pins.add(path);
        }
    }

    /** unlink(2) of a pin: the link goes, and with it the pin's reference (bpf_free_inode). */
    void unpin(Path path) {
        if (!pins.remove(path)) {
            throw new BpfException(Errno.ENOENT, OP_UNPIN, path + " is not a pin of map " + id);
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            pins.add(path);
            Errno errno = IoErrno.of(e);
            throw new BpfException(errno == Errno.EUNKNOWN ? Errno.EPERM : errno, OP_UNPIN,
                    "cannot remove the pin " + path + ": " + e.getMessage());
        }
        release();
    }

    boolean isPinned() {
        return !pins.isEmpty();
    }

    // ---- freeze and mmap: the rules of kernel/bpf/syscall.c map_freeze and bpf_map_mmap ----

    /** map_freeze, after the fd checks of the caller. */
    void freeze(FileMode mode) {
        if (!specialFields.isEmpty()) {
            throw new BpfException(Errno.ENOTSUPP, EmulatedMap.OP_FREEZE, "the value has BTF special fields ("
                    + specialFields.names() + ")");
        }
        // map_get_sys_perms drops FMODE_CAN_WRITE once frozen, so freezing twice is EPERM.
        if (!mode.canWrite() || frozen) {
            throw new BpfException(Errno.EPERM, EmulatedMap.OP_FREEZE,
                    frozen ? "the map is frozen already" : "the handle has no write access");
        }
        freezeMutex.lock();
        try {
            if (writecnt.get() > 0) {
                throw new BpfException(Errno.EBUSY, EmulatedMap.OP_FREEZE,
                        "a writable mapping, an update or a delete holds the map (writecnt " + writecnt.get() + ")");
            }
            if (frozen) {
                throw new BpfException(Errno.EBUSY, EmulatedMap.OP_FREEZE, "frozen meanwhile");
            }
            // The file first: a fault there (a truncated file) must leave the map unfrozen.
            MapFile.markFrozen(whole);
            frozen = true;
        } finally {
            freezeMutex.unlock();
        }
    }

    /**
     * Brackets a syscall update or delete as the kernel's bpf_map_write_active_inc/dec
     * (kernel/bpf/syscall.c map_update_elem, map_delete_elem), so freeze sees it.
     */
    void beginWrite() {
        writecnt.incrementAndGet();
    }

    void endWrite() {
        writecnt.decrementAndGet();
    }

    /**
     * mmap(2) of the map's fd, MAP_SHARED. The checks run in the order of mm/mmap.c do_mmap (length,
     * offset, file mode), kernel/bpf/syscall.c bpf_map_mmap and kernel/bpf/arraymap.c array_map_mmap.
     */
    Mapping mmap(FileMode mode, long offset, long length, boolean writable) {
        String op = EmulatedMap.OP_MMAP;
        // ksys_mmap_pgoff / do_mmap
        MapGeometry geometry = layout.geometry();
        if (!geometry.isPageAligned(offset)) {
            throw new BpfException(Errno.EINVAL, op, "offset " + offset + " is not page-aligned");
        }
        if (length == 0) {
            throw new BpfException(Errno.EINVAL, op, "length 0");
        }
        if (length < 0 || length > TASK_SIZE) {
            throw new BpfException(Errno.ENOMEM, op, "length " + Long.toUnsignedString(length) + " exceeds the address space");
        }
        long mapped = geometry.pageAlign(length);
        // file_mmap_ok: offset + length beyond MAX_LFS_FILESIZE
        if (offset < 0 || offset > Long.MAX_VALUE - mapped) {
            throw new BpfException(Errno.EOVERFLOW, op, "offset " + Long.toUnsignedString(offset) + " overflows");
        }
        if (writable && !mode.canWrite()) {
            throw new BpfException(Errno.EACCES, op, "PROT_WRITE through a handle without write access");
        }
        if (!mode.canRead()) {
            throw new BpfException(Errno.EACCES, op, "the handle has no read access");
        }
        // bpf_map_mmap
        if (!geometry.typeHasMmap() || !specialFields.isEmpty()) {
            throw new BpfException(Errno.ENOTSUPP, op, !geometry.typeHasMmap()
                    ? spec.type() + " maps cannot be mapped" : "the value has BTF special fields (" + specialFields.names() + ")");
        }
        // do_mmap clears VM_SHARED for MAP_SHARED through a read-only fd, and bpf_map_mmap wants it.
        if (!mode.canWrite()) {
            throw new BpfException(Errno.EINVAL, op, "MAP_SHARED through a read-only handle");
        }
        if (!tryAcquire()) {
            throw new BpfException(Errno.EBADF, op, "map " + id + " is gone");
        }
        boolean counted = false;
        try {
            freezeMutex.lock();
            try {
                if (writable) {
                    if (frozen) {
                        throw new BpfException(Errno.EPERM, op, "writable mapping of a frozen map");
                    }
                    // A map meant to be read-only for programs must not leak a writable page.
                    if (spec.has(MapFlag.RDONLY_PROG)) {
                        throw new BpfException(Errno.EACCES, op, "writable mapping of a BPF_F_RDONLY_PROG map");
                    }
                    writecnt.incrementAndGet();
                    counted = true;
                }
                // array_map_mmap; on failure bpf_map_mmap undoes the writecnt increment.
                if (!spec.has(MapFlag.MMAPABLE)) {
                    throw new BpfException(Errno.EINVAL, op, "the map was not created with BPF_F_MMAPABLE");
                }
                if (offset + mapped > layout.dataSize()) {
                    throw new BpfException(Errno.EINVAL, op, "[" + offset + ", " + (offset + mapped)
                            + ") is beyond the " + layout.dataSize() + " mappable bytes");
                }
                if (freed.get()) {
                    // The backend shut down after tryAcquire: the memory is gone.
                    throw new BpfException(Errno.EBADF, op, "map " + id + " is gone");
                }
                Mapping mapping = newMapping(offset, mapped, writable);
                if (writable) {
                    writableMappings.incrementAndGet();
                }
                mappings.incrementAndGet();
                counted = false;
                return mapping;
            } finally {
                freezeMutex.unlock();
            }
        } catch (RuntimeException e) {
            if (counted) {
                writecnt.decrementAndGet();
            }
            release();
            throw e;
        }
    }

    private Mapping newMapping(long offset, long length, boolean writable) {
        Arena mappingArena = Arena.ofShared();
        Mapping[] self = new Mapping[1];
        MemorySegment window = data.asSlice(offset, length);
        if (!writable) {
            window = window.asReadOnly();
        }
        MemorySegment segment = window.reinterpret(mappingArena, ignored -> unmapped(self[0], writable));
        SegmentMapping mapping = new SegmentMapping(offset, writable, mappingArena, segment, (s, w) -> {
        });
        self[0] = mapping;
        liveMappings.add(mapping);
        return new FaultCheckedMapping(mapping, this);
    }

    /** munmap: the mapping's arena is closed, so no access through it is in flight any more. */
    private void unmapped(Mapping mapping, boolean writable) {
        boolean freedFirst = freed.get();
        liveMappings.remove(mapping);
        if (writable) {
            // bpf_map_mmap_close: a mapping made writable counts until unmapped, even after mprotect.
            writableMappings.decrementAndGet();
            writecnt.decrementAndGet();
        }
        mappings.decrementAndGet();
        release();
        if (freedFirst) {
            // The mapping is a window on the map's memory: had that gone first, a read through the
            // mapping just before this would have touched unmapped pages.
            throw new IllegalStateException("map " + id + " was freed before its mapping was unmapped");
        }
    }
}
