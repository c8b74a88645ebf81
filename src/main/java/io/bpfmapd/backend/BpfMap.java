package io.bpfmapd.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A live array map, held through one user reference (the kernel: one fd). Keys are u32 indexes.
 * Every failure is a {@link BpfException} carrying the kernel's errno, checked in the kernel's order.
 * Thread-safe.
 */
public interface BpfMap extends AutoCloseable {

    MapInfo info();

    /** The map's sizes on its backend (value, stride, data area, page size); fixed for its life. */
    MapGeometry geometry();

    /**
     * The map's BTF, if it was created with one: for the kernel, BPF_OBJ_GET_INFO_BY_FD's {@code btf_id}
     * then BPF_BTF_GET_FD_BY_ID and the blob; the emulation has BTF only for a spin-lock value, the same
     * blob the kernel backend loads for it ({@link SpinLockBtf}). A map without BTF is untyped.
     */
    Optional<MapBtf> btf();

    /**
     * Whether the map has a BTF value type ({@link #btf()}'s {@code valueTypeId} is not 0), without reading
     * the BTF: the kernel answers it from BPF_OBJ_GET_INFO_BY_FD alone, which needs no capability, where
     * BPF_BTF_GET_FD_BY_ID needs CAP_SYS_ADMIN (kernel/bpf/syscall.c bpf_btf_get_fd_by_id).
     */
    default boolean hasValueType() {
        return btf().map(b -> b.valueTypeId() != 0).orElse(false);
    }

    /**
     * BPF_MAP_LOOKUP_ELEM. Returns {@code value_size} bytes for ARRAY, and
     * {@code round_up(value_size, 8) * possible CPUs} bytes for PERCPU_ARRAY (one slot per CPU).
     *
     * @throws BpfException ENOENT for an index out of range
     */
    byte[] lookup(int index);

    /**
     * BPF_MAP_LOOKUP_BATCH: up to {@code count} values of the elements after index {@code inBatch}, or
     * from index 0 when it is empty, in one call. As the kernel's array_map_get_next_key walks it: after
     * an in_batch at or beyond max_entries comes index 0 again, after the last index comes ENOENT, which
     * this reports as {@link BatchResult#end()} with the values copied before it. A count of 0 copies
     * nothing and is not the end.
     *
     * @throws BpfException EPERM through a handle without read access
     */
    BatchResult lookupBatch(OptionalInt inBatch, int count);

    /**
     * BPF_MAP_UPDATE_ELEM with a value of the size {@link #lookup} returns.
     *
     * @throws BpfException EPERM once frozen, E2BIG for an index out of range, EEXIST for NOEXIST
     *                      (array elements always exist), EINVAL for a value of the wrong size
     */
    void update(int index, byte[] value, UpdateFlag flag);

    /**
     * BPF_MAP_DELETE_ELEM: arrays refuse it ({@code EINVAL}), or EPERM when frozen. Like an update, it
     * counts as a writer while it runs, so a freeze racing it may be EBUSY.
     */
    void delete(int index);

    /**
     * BPF_MAP_FREEZE.
     *
     * @throws BpfException EBUSY while a writable mapping, an update or a delete holds the map, EPERM when already frozen,
     *                      ENOTSUPP when the value has special fields
     */
    void freeze();

    /**
     * mmap(MAP_SHARED) of {@code length} bytes (rounded up to a page) at page-aligned {@code offset} of
     * the value area. The mapping holds its own user reference: it stays valid after {@link #close()}.
     *
     * @throws BpfException EINVAL (not MMAPABLE, out of range, unaligned), ENOTSUPP (per-CPU, special
     *                      fields), EPERM (writable and frozen), EACCES (writable and RDONLY_PROG)
     */
    Mapping mmap(long offset, long length, boolean writable);

    /** BPF_OBJ_PIN at {@code path} (for the emulation: persist the map to that file). */
    void pin(Path path);

    /**
     * Removes the pin at {@code path}: unlink(2) of its bpffs inode, whose eviction drops the reference
     * the pin held (kernel/bpf/inode.c bpf_free_inode). The map lives on while handles or mappings hold it.
     * There is no bpf command for this; the default is the plain unlink.
     *
     * @throws BpfException ENOENT if nothing (or another map) is pinned there, unlink(2)'s errno (EROFS, EACCES, EBUSY...)
     *                      if it cannot be removed, EPERM when the JDK does not say which
     */
    default void unpin(Path path) {
        try {
            Files.delete(path);
        } catch (NoSuchFileException e) {
            throw new BpfException(Errno.ENOENT, "unlink", "nothing pinned at " + path);
        } catch (IOException e) {
            Errno errno = IoErrno.of(e);
            throw new BpfException(errno == Errno.EUNKNOWN ? Errno.EPERM : errno, "unlink",
                    "cannot remove the pin " + path + ": " + e.getMessage());
        }
    }

    /** Drops this handle's user reference; the map lives on while mappings (or pins) hold it. */
    @Override
    void close();
}
