package io.bpfmapd.web;

import io.bpfmapd.backend.Errno;
import org.springframework.http.HttpStatus;

/**
 * The HTTP status of each errno: the client's fault is a 4xx, a resource shortage a 503, a bug a 500.
 * The switch has no default, so a new {@link Errno} does not compile until it has a status here.
 */
public final class ErrnoStatus {

    private ErrnoStatus() {
    }

    public static HttpStatus of(Errno errno) {
        return switch (errno) {
            case EINVAL, E2BIG, EOVERFLOW, EXDEV, ENOTDIR, EISDIR, ELOOP, ENAMETOOLONG -> HttpStatus.BAD_REQUEST;
            case ENOKEY -> HttpStatus.UNAUTHORIZED;
            case EPERM, EACCES -> HttpStatus.FORBIDDEN;
            case ENOENT -> HttpStatus.NOT_FOUND;
            case EBUSY, EEXIST -> HttpStatus.CONFLICT;
            case ENOTSUPP, EOPNOTSUPP -> HttpStatus.UNPROCESSABLE_CONTENT;
            case EAGAIN, ENOMEM, ENFILE, EMFILE, ENOSPC, ENOSYS -> HttpStatus.SERVICE_UNAVAILABLE;
            case EIO, EBADF, EFAULT, EUNKNOWN -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
