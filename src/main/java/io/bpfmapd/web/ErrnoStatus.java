package io.bpfmapd.web;

import io.bpfmapd.backend.Errno;
import org.springframework.http.HttpStatus;

/**
 * The HTTP status of each errno: the client's fault is a 4xx, a resource shortage a 503, a bug a 500.
 * The switch has no default, so a new {@link Errno} does not compile until it has a status here.
 *
 * <p>The machine's own trouble (a read-only disk, a quota, a stale handle, a file system that cannot be
 * mapped) is a 503: nothing the client sent is wrong, and the same request succeeds once an operator
 * has fixed the machine. {@code EIO} is a 500: what it reports is damaged data (a map file truncated
 * under the service), which no retry mends. {@code EFBIG} is a 400 like {@code E2BIG}: a request larger than any
 * file here may be never succeeds as sent.
 */
public final class ErrnoStatus {

    private ErrnoStatus() {
    }

    public static HttpStatus of(Errno errno) {
        return switch (errno) {
            case EINVAL, E2BIG, EFBIG, EOVERFLOW, EXDEV, ENOTDIR, EISDIR, ELOOP, ENAMETOOLONG -> HttpStatus.BAD_REQUEST;
            case ENOKEY -> HttpStatus.UNAUTHORIZED;
            case EPERM, EACCES -> HttpStatus.FORBIDDEN;
            case ENOENT -> HttpStatus.NOT_FOUND;
            case EBUSY, EEXIST, ENOTEMPTY, ETXTBSY -> HttpStatus.CONFLICT;
            case ENOTSUPP, EOPNOTSUPP -> HttpStatus.UNPROCESSABLE_CONTENT;
            case EAGAIN, EINTR, ENOMEM, ENFILE, EMFILE, ENOSPC, EDQUOT, EMLINK, ENOSYS -> HttpStatus.SERVICE_UNAVAILABLE;
            case EROFS, ENODEV, ENXIO, ESTALE -> HttpStatus.SERVICE_UNAVAILABLE;
            // EIO: data the service holds is damaged (a truncated map file); no retry mends it.
            case EIO, EBADF, EFAULT, EUNKNOWN -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
