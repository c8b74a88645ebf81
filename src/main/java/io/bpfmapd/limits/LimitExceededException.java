package io.bpfmapd.limits;

import io.bpfmapd.backend.Errno;
import io.bpfmapd.web.ProblemException;
import io.bpfmapd.web.ProblemType;
import io.bpfmapd.web.ProblemWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request would go past one of the {@link LimitsProperties}, answered as a
 * {@link ProblemType#LIMIT_EXCEEDED} problem naming the limit and its value, so that an operator can tell
 * a client's mistake from a limit to raise. Nothing has been changed when it is thrown. The status
 * follows the errno ({@link ProblemType#status(Errno)}): {@code E2BIG}, a request too large in itself
 * (as the kernel answers sizes it will not allocate), is a 400; a request that would take the service
 * past what it holds in total ({@code ENOSPC}, {@code EMFILE}, {@code ENFILE}) is a 429: the same
 * request can succeed once something is closed or deleted.
 */
public class LimitExceededException extends ProblemException {

    /** Problem members: the property that sets the limit, and its value. */
    public static final String LIMIT = ProblemWriter.LIMIT;
    public static final String MAX = ProblemWriter.MAX;

    private final String limit;
    private final long max;

    /**
     * @param limit  the property that sets the limit, e.g. {@code bpfmapd.limits.max-maps}
     * @param max    its value
     * @param errno  the errno of the answer, e.g. {@code E2BIG}, {@code ENOSPC}
     */
    public LimitExceededException(String limit, long max, Errno errno, String detail) {
        super(ProblemType.LIMIT_EXCEEDED, errno, detail, null);
        this.limit = limit;
        this.max = max;
    }

    /** One request asks for more than any request may (400, E2BIG). */
    public static LimitExceededException tooBig(String limit, long max, String detail) {
        return new LimitExceededException(limit, max, Errno.E2BIG, detail);
    }

    /** The service already holds as much as it may of something (429). */
    public static LimitExceededException full(String limit, long max, Errno errno, String detail) {
        if (errno == Errno.E2BIG) {
            throw new IllegalArgumentException("E2BIG is a request too large in itself, not a full service");
        }
        return new LimitExceededException(limit, max, errno, detail);
    }

    public String limit() {
        return limit;
    }

    public long max() {
        return max;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(LIMIT, limit);
        properties.put(MAX, max);
        return properties;
    }
}
