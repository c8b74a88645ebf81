package io.bpfmapd.web;

import io.bpfmapd.backend.Errno;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A failure that is one of the {@link ProblemType}s and says which: the controller advice answers it
 * without knowing the package that threw it, so {@code web} depends on no feature package. Thrown
 * before anything changed, unless the subclass says otherwise.
 */
public abstract class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final Errno errno;

    /** A problem with the type's own errno. */
    protected ProblemException(ProblemType type, String message, Throwable cause) {
        this(type, type.errno(), message, cause);
    }

    /** @param errno the errno of the answer, for a type whose errno depends on the failure */
    protected ProblemException(ProblemType type, Errno errno, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.errno = errno;
    }

    public ProblemType problemType() {
        return type;
    }

    /** The errno of the answer, {@code null} for a problem that is not one. */
    public Errno errno() {
        return errno;
    }

    /** Derived from the type and errno, never carried. */
    public HttpStatus status() {
        return type.status(errno);
    }

    /** Members of the problem beyond the standard ones and errno (e.g. the limit and its value); none by default. */
    public Map<String, Object> properties() {
        return Map.of();
    }
}
