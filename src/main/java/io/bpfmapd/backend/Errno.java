package io.bpfmapd.backend;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Linux errno values the bpf() syscall and mmap() return for array maps (x86_64 numbering).
 * {@link #ENOTSUPP} is the kernel-internal 524 that leaks to userspace from bpf_map_mmap and freeze.
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    EIO(5, "Input/output error"),
    E2BIG(7, "Argument list too long"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    EXDEV(18, "Invalid cross-device link"),
    ENOTDIR(20, "Not a directory"),
    EISDIR(21, "Is a directory"),
    EINVAL(22, "Invalid argument"),
    EMFILE(24, "Too many open files"),
    ENOSPC(28, "No space left on device"),
    ENOSYS(38, "Function not implemented"),
    EOVERFLOW(75, "Value too large for defined data type"),
    ELOOP(40, "Too many levels of symbolic links"),
    EOPNOTSUPP(95, "Operation not supported"),
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
