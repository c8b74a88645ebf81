package io.bpfmapd.backend;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The errno behind a failed file operation, for the emulation (a pin is a link(2), a map a file) and the
 * service's own state file. The JDK keeps errno only as the exception's class for ENOENT, EEXIST, EACCES
 * and ELOOP ({@code sun.nio.fs.UnixException.translateToIOException}); every other failure carries
 * glibc's {@code strerror} text as its reason (a {@link FileSystemException}) or message (a channel's
 * {@code IOException}), which names the errno just as well: "Read-only file system" is EROFS.
 */
public final class IoErrno {

    /** Longest description first, so that "Operation not supported" never matches a longer text's prefix wrongly. */
    private static final List<Errno> BY_DESCRIPTION = Arrays.stream(Errno.values())
            .filter(e -> e.code() > 0)
            .sorted(Comparator.comparingInt((Errno e) -> e.description().length()).reversed())
            .toList();

    private IoErrno() {
    }

    /** The errno of {@code failure}, {@link Errno#EUNKNOWN} when neither its class nor its text names one. */
    public static Errno of(IOException failure) {
        return switch (failure) {
            case NoSuchFileException ignored -> Errno.ENOENT;
            case FileAlreadyExistsException ignored -> Errno.EEXIST;
            case AccessDeniedException ignored -> Errno.EACCES;
            case NotDirectoryException ignored -> Errno.ENOTDIR;
            case DirectoryNotEmptyException ignored -> Errno.ENOTEMPTY;
            case FileSystemLoopException ignored -> Errno.ELOOP;
            case FileSystemException fs -> ofText(fs.getReason());
            default -> ofText(failure.getMessage());
        };
    }

    /** The errno whose strerror text {@code text} starts with (the JDK may append to it, as for ELOOP). */
    static Errno ofText(String text) {
        if (text == null) {
            return Errno.EUNKNOWN;
        }
        for (Errno errno : BY_DESCRIPTION) {
            if (text.startsWith(errno.description())) {
                return errno;
            }
        }
        return Errno.EUNKNOWN;
    }
}
