package io.bpfmapd.backend;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every errno the service sends: the Linux errno values the bpf() syscall, mmap() and the pin paths
 * return for array maps (x86_64 numbering, {@code include/uapi/asm-generic/errno-base.h} and
 * {@code errno.h}), those the emulation's file operations meet on the data directory (the ERRORS of
 * open(2), link(2), unlink(2), fallocate(2), write(2)), and the few the service answers with itself ({@link #ENOKEY} for a missing
 * credential, {@link #ENFILE} and {@link #EMFILE} for its own session limits). The problem details
 * and the OpenAPI document take their {@code errno} values from here and nowhere else.
 * {@link #ENOTSUPP} is the kernel-internal 524 that leaks to userspace from bpf_map_mmap and freeze.
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    /** A syscall interrupted by a signal before it did anything (open(2) of a FIFO, a blocked write). */
    EINTR(4, "Interrupted system call"),
    /**
     * The storage failed: link(2), write(2), fsync(2) on the data directory, or an emulated map file
     * truncated under the service (the map is broken: every access to it fails with this).
     */
    EIO(5, "Input/output error"),
    /** open(2) of a device file with no device behind it. */
    ENXIO(6, "No such device or address"),
    E2BIG(7, "Argument list too long"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    EXDEV(18, "Invalid cross-device link"),
    /** mmap(2) of a file on a file system that cannot be memory-mapped. */
    ENODEV(19, "No such device"),
    ENOTDIR(20, "Not a directory"),
    EISDIR(21, "Is a directory"),
    EINVAL(22, "Invalid argument"),
    /** The system-wide file table is full; the service also sends it when it holds as many sessions as it may. */
    ENFILE(23, "Too many open files in system"),
    /** A process's fd table is full; the service also sends it when one principal holds as many sessions as it may. */
    EMFILE(24, "Too many open files"),
    /** A file would grow past the file system's, or RLIMIT_FSIZE's, largest file (write(2), fallocate(2)). */
    /** open(2) for writing, or fallocate(2), of a file being executed. */
    ETXTBSY(26, "Text file busy"),
    EFBIG(27, "File too large"),
    ENOSPC(28, "No space left on device"),
    /** link(2), unlink(2) or open(2) for writing on a read-only mount (bpffs or the data directory). */
    EROFS(30, "Read-only file system"),
    /** link(2): the file has as many hard links as its file system allows. */
    EMLINK(31, "Too many links"),
    /** A pin name component longer than NAME_MAX (255 bytes): the VFS refuses it before bpf_obj_pin runs. */
    ENAMETOOLONG(36, "File name too long"),
    /** rmdir(2) or a rename over a directory that still has entries. */
    ENOTEMPTY(39, "Directory not empty"),
    ENOSYS(38, "Function not implemented"),
    EOVERFLOW(75, "Value too large for defined data type"),
    ELOOP(40, "Too many levels of symbolic links"),
    EOPNOTSUPP(95, "Operation not supported"),
    /** A file handle gone stale (a data directory on NFS whose file was removed by another client). */
    ESTALE(116, "Stale file handle"),
    /** The disk quota of the service's user is used up (link(2), write(2), fallocate(2)). */
    EDQUOT(122, "Disk quota exceeded"),
    /**
     * Not from the kernel: the errno of a 401. Linux has no errno for "who are you?"; ENOKEY ("Required
     * key not available") says exactly that a credential is missing or not recognised, and no BPF
     * operation of this API returns it, so a client can never confuse it with a kernel answer.
     */
    ENOKEY(126, "Required key not available"),
    ENOTSUPP(524, "Operation not supported (kernel-internal ENOTSUPP)"),
    /** Any errno this enum does not name; {@link BpfException#code()} keeps the raw number. */
    EUNKNOWN(-1, "Unknown error");

    private static final Map<Integer, Errno> BY_CODE = Arrays.stream(values())
            .filter(e -> e.code > 0)
            .collect(Collectors.toUnmodifiableMap(e -> e.code, Function.identity()));

    private final int code;
    private final String description;

    Errno(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** The named errno for a raw code, {@link #EUNKNOWN} for one this enum does not name. */
    public static Errno of(int code) {
        return BY_CODE.getOrDefault(code, EUNKNOWN);
    }
}
