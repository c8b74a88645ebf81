package io.bpfmapd.backend;

/**
 * A failed BPF operation: the errno the kernel returned (or the emulation returns in its place)
 * and the operation that returned it. Callers switch on {@link #errno()}, never on messages.
 */
public class BpfException extends RuntimeException {

    private final Errno errno;
    private final int code;
    private final String operation;

    public BpfException(Errno errno, String operation, String detail) {
        this(errno, errno.code(), operation, detail);
    }

    public BpfException(Errno errno, int code, String operation, String detail) {
        super(operation + ": " + errno + " (" + detail + ")");
        this.errno = errno;
        this.code = code;
        this.operation = operation;
    }

    /** A raw errno from a syscall. */
    public static BpfException fromCode(int code, String operation, String detail) {
        return new BpfException(Errno.of(code), code, operation, detail);
    }

    public Errno errno() {
        return errno;
    }

    /** The raw errno number; differs from {@code errno().code()} only for {@link Errno#EUNKNOWN}. */
    public int code() {
        return code;
    }

    public String operation() {
        return operation;
    }
}
