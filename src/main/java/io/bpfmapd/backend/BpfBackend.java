package io.bpfmapd.backend;

import java.nio.file.Path;

/**
 * One place where BPF array maps live: the kernel, or the in-JVM emulation of it. Both answer the
 * same operations with the same errno and the same bytes; the differential tests hold them to that.
 * Implementations are thread-safe and know nothing of HTTP or Spring.
 */
public interface BpfBackend extends AutoCloseable {

    BackendKind kind();

    /** The answer of the backend's one-time probe; never changes after construction. */
    Availability availability();

    /**
     * Whether {@link #open(Path, Access)} with {@link Access#READ_ONLY} works here, which may be so where
     * {@link #availability()} says no: a kernel that lets a process without capabilities open a readable
     * pin read-only but not create maps. By default the same answer as {@link #availability()}.
     */
    default Availability readOnlyOpens() {
        return availability();
    }

    /**
     * The PAGE_SIZE of the backend's kernel: mmap offsets are multiples of it, lengths are rounded up
     * to it, and so is the data area. The machine's for the kernel backend; a parameter of the emulation.
     */
    long pageSize();

    /** The sizes a map of this spec has on this backend (its page size and possible CPUs). */
    MapGeometry geometry(MapSpec spec);

    /**
     * BPF_MAP_CREATE. The returned handle holds the creator's reference (its fd, in the kernel).
     *
     * @throws BpfException with the kernel's errno for a spec the kernel refuses
     * @throws BackendUnavailableException if {@link #availability()} says no
     */
    BpfMap create(MapSpec spec);

    /**
     * BPF_OBJ_GET: opens a map pinned at {@code path} (for the emulation, a file the emulation pinned).
     * Path confinement is the caller's job; this only refuses what the kernel refuses.
     *
     * @throws BpfException ENOENT if nothing is pinned there, EINVAL if it is not a map this service can
     *                      manage (not an array)
     */
    default BpfMap open(Path path) {
        return open(path, Access.READ_WRITE);
    }

    /**
     * BPF_OBJ_GET with the {@code file_flags} of {@code access}. A {@link Access#READ_ONLY} handle
     * looks up and batches; update, delete and freeze are EPERM and mmap is EINVAL (EACCES if writable),
     * as on any read-only fd.
     *
     * @throws BpfException as {@link #open(Path)}; EACCES where the pin may not be opened with that access
     */
    BpfMap open(Path path, Access access);

    /** Releases everything the backend holds; maps not pinned are gone afterwards. */
    @Override
    void close();
}
