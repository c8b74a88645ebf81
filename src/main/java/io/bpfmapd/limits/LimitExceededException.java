package io.bpfmapd.limits;

import org.springframework.http.HttpStatus;

/**
 * A request would go past one of the {@link LimitsProperties}. Nothing has been changed when it is
 * thrown. A request too large in itself is a 400 ({@code E2BIG}, as the kernel answers sizes it will
 * not allocate) or, for a body, a 413; a request that would take the service past what it holds in
 * total is a 429: the same request can succeed once something is closed or deleted.
 *
 * @see LimitProblemHandler
 */
public class LimitExceededException extends RuntimeException {

    private final String limit;
    private final long max;
    private final HttpStatus status;
    private final String errno;

    /**
     * @param limit  the property that sets the limit, e.g. {@code bpfmapd.limits.max-maps}
     * @param max    its value
     * @param errno  the symbolic errno of the answer, e.g. {@code E2BIG}, {@code ENOSPC}
     */
    public LimitExceededException(String limit, long max, HttpStatus status, String errno, String detail) {
        super(detail);
        this.limit = limit;
        this.max = max;
        this.status = status;
        this.errno = errno;
    }

    /** One request asks for more than any request may (400, E2BIG). */
    public static LimitExceededException tooBig(String limit, long max, String detail) {
        return new LimitExceededException(limit, max, HttpStatus.BAD_REQUEST, "E2BIG", detail);
    }

    /** The service already holds as much as it may of something (429). */
    public static LimitExceededException full(String limit, long max, String errno, String detail) {
        return new LimitExceededException(limit, max, HttpStatus.TOO_MANY_REQUESTS, errno, detail);
    }

    public String limit() {
        return limit;
    }

    public long max() {
        return max;
    }

    public HttpStatus status() {
        return status;
    }

    public String errno() {
        return errno;
    }
}
