package io.bpfmapd.web;

import io.bpfmapd.backend.Errno;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Every kind of problem the service answers with: the one registry of the stable {@code type} URIs
 * (RFC 9457 §3.1.1), each with its status, title and errno where they are fixed. The URIs are URNs on
 * purpose: identifiers a client may switch on, not links that promise a page. A failed BPF operation
 * has one type per errno ({@link #ERRNO}: {@code urn:bpfmapd:problem:ebusy}); every other failure has
 * a name ({@code urn:bpfmapd:problem:map-not-found}).
 *
 * <p>An exception that is one of these problems says so itself ({@link ProblemException}), so that the
 * web layer needs to know no feature package to answer it; {@link ProblemWriter} sends them all.
 */
public enum ProblemType {

    /** A BPF operation failed: one type per errno, status from {@link ErrnoStatus}, title from the errno. */
    ERRNO(null, null, null, null),
    MAP_NOT_FOUND("map-not-found", HttpStatus.NOT_FOUND, "Map not found", Errno.ENOENT),
    /** The map was created without BTF: it has no types to show (the kernel: no btf_id, so no BTF object, ENOENT). */
    BTF_NOT_FOUND("btf-not-found", HttpStatus.NOT_FOUND, "Map has no BTF", Errno.ENOENT),
    /**
     * The map's value type is no BTF DATASEC (a libbpf global-data map's: .bss, .data, .rodata, .kconfig,
     * .data.*), so it has no variables by name.
     */
    NOT_A_SECTION("not-a-section", HttpStatus.NOT_FOUND, "Map holds no global variables", Errno.ENOENT),
    /** The map's DATASEC has no variable of this name. */
    VARIABLE_NOT_FOUND("variable-not-found", HttpStatus.NOT_FOUND, "Variable not found", Errno.ENOENT),
    SESSION_NOT_FOUND("session-not-found", HttpStatus.NOT_FOUND, "Session not found", Errno.ENOENT),
    EXPORT_NOT_FOUND("export-not-found", HttpStatus.NOT_FOUND, "Metric view not found", Errno.ENOENT),
    /** A read or write lost the race with the session's close or expiry: the mapping is gone. */
    SESSION_CLOSED("session-closed", HttpStatus.GONE, "Session closed during the request", null),
    BACKEND_UNAVAILABLE("backend-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Backend unavailable", null),
    /**
     * The pin state file ({@code pins.json}) could not be written, so the pin or import was undone. The
     * errno is the failed write's (EACCES, ENOSPC, EROFS, EDQUOT, EIO); the status is 503 whatever it is:
     * the machine's disk is at fault, not the request.
     */
    PIN_STATE_NOT_WRITTEN("pin-state-not-written", HttpStatus.SERVICE_UNAVAILABLE, "Pin state not written", null),
    /**
     * A request would go past one of the service's limits. The status follows the errno
     * ({@link #status(Errno)}): E2BIG, a request too large in itself, is a 400 (a 413 for a body, HTTP's
     * own status for it); anything else (ENOSPC, EMFILE, ENFILE) means the service holds as much as it may,
     * a 429: the same request can succeed once something is closed or deleted.
     */
    LIMIT_EXCEEDED("limit-exceeded", null, "Limit exceeded", null),
    /** The body is not JSON, or not the JSON the endpoint takes (wrong type, unknown enum or field). */
    MALFORMED_REQUEST("malformed-request", HttpStatus.BAD_REQUEST, "Malformed request body", Errno.EINVAL),
    /** Well-formed but refused by validation (a missing field, a negative number, a bad parameter). */
    INVALID_REQUEST("invalid-request", HttpStatus.BAD_REQUEST, "Invalid request", Errno.EINVAL),
    /** 401: no token, a malformed Authorization header or a token nobody configured. */
    UNAUTHENTICATED("unauthenticated", HttpStatus.UNAUTHORIZED, "Unauthorized", Errno.ENOKEY),
    /** 403: authenticated, but the role does not allow it. */
    FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Forbidden", Errno.EACCES),
    /** 403: the session was opened by another principal. */
    NOT_SESSION_OWNER("not-session-owner", HttpStatus.FORBIDDEN, "Forbidden", Errno.EACCES),
    /**
     * The rest are HTTP's own refusals (no such path, method, media type or protocol feature), titled as
     * Spring titles them (the reason phrase), each with the errno that says the same: nothing there
     * (ENOENT), not something this service does (EOPNOTSUPP), not a form it reads or writes (EINVAL),
     * too large (E2BIG).
     */
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, null, Errno.ENOENT),
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, null, Errno.EOPNOTSUPP),
    NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, null, Errno.EINVAL),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, null, Errno.EINVAL),
    PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, null, Errno.E2BIG),
    /**
     * A method no resource here has (CONNECT), or a transfer coding Tomcat does not decode
     * ({@code Transfer-Encoding: gzip, chunked}): 501 as RFC 9110 §15.6.2 and RFC 9112 §6.1 ask. Not a bug.
     */
    NOT_IMPLEMENTED("not-implemented", HttpStatus.NOT_IMPLEMENTED, null, Errno.EOPNOTSUPP),
    /** A request line of an HTTP version other than 1.0 and 1.1 (RFC 9110 §15.6.6). */
    HTTP_VERSION_NOT_SUPPORTED("http-version-not-supported", HttpStatus.HTTP_VERSION_NOT_SUPPORTED, null,
            Errno.EOPNOTSUPP),
    /** A bug: the log has the details, the client gets none of them. */
    INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", null);

    public static final String PREFIX = "urn:bpfmapd:problem:";

    /**
     * The type of one of HTTP's own refusals, answered by Spring MVC, the servlet container or Tomcat's
     * parser: {@code other4xx} for a 4xx without a type of its own (which 400 that is depends on who
     * refused: a body Spring could not bind, or a request Tomcat could not parse), {@link #INTERNAL_ERROR}
     * for a 5xx without one.
     */
    public static ProblemType ofHttpStatus(int status, ProblemType other4xx) {
        for (ProblemType type : values()) {
            if (type.slug != null && type.status != null && type.status.value() == status && type.isHttpRefusal()) {
                return type;
            }
        }
        return status < 500 ? other4xx : INTERNAL_ERROR;
    }

    private boolean isHttpRefusal() {
        return switch (this) {
            case NOT_FOUND, METHOD_NOT_ALLOWED, NOT_ACCEPTABLE, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE, NOT_IMPLEMENTED,
                 HTTP_VERSION_NOT_SUPPORTED -> true;
            default -> false;
        };
    }

    private final String slug;
    private final HttpStatus status;
    private final String title;
    private final Errno errno;

    ProblemType(String slug, HttpStatus status, String title, Errno errno) {
        this.slug = slug;
        this.status = status;
        this.title = title;
        this.errno = errno;
    }

    /** The last part of the URI; for {@link #ERRNO}, {@code <errno>}. */
    public String slug() {
        return slug == null ? "<errno>" : slug;
    }

    /** {@code urn:bpfmapd:problem:<slug>}; for {@link #ERRNO}, use {@link #uri(Errno)}. */
    public URI uri() {
        if (slug == null) {
            throw new IllegalStateException(this + " has one URI per errno");
        }
        return URI.create(PREFIX + slug);
    }

    /** The URI of this type for a problem with {@code errno}: {@code urn:bpfmapd:problem:ebusy} for {@link #ERRNO}. */
    public URI uri(Errno errno) {
        return slug == null ? URI.create(PREFIX + errno.name().toLowerCase(Locale.ROOT)) : uri();
    }

    /** The status every problem of this type has, or {@code null} where it follows the errno. */
    public HttpStatus status() {
        return status;
    }

    /** The status of a problem of this type with {@code errno}: the one place a problem's status is decided. */
    public HttpStatus status(Errno errno) {
        return switch (this) {
            case ERRNO -> ErrnoStatus.of(errno);
            case LIMIT_EXCEEDED -> errno == Errno.E2BIG ? HttpStatus.BAD_REQUEST : HttpStatus.TOO_MANY_REQUESTS;
            default -> status;
        };
    }

    /** The title every problem of this type has, or {@code null} where HTTP's reason phrase or the errno gives it. */
    public String title() {
        return title;
    }

    /** The errno every problem of this type carries, or {@code null} where it depends on the failure or there is none. */
    public Errno errno() {
        return errno;
    }

    /** A problem of this type with its fixed status, title and errno. */
    public ProblemDetail problem(String detail) {
        return problem(errno, detail);
    }

    /** A problem of this type with {@code errno} (or none); status and title as this type gives them. */
    public ProblemDetail problem(Errno errno, String detail) {
        HttpStatus status = status(errno);
        return problem(status, titleFor(status, errno), errno, detail);
    }

    /** A problem of this type with a status and title of the caller's (HTTP's own refusals keep Spring's). */
    public ProblemDetail problem(HttpStatusCode status, String title, Errno errno, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(errno == null ? uri() : uri(errno));
        problem.setTitle(title);
        if (errno != null) {
            problem.setProperty(ProblemWriter.ERRNO, errno.name());
        }
        return problem;
    }

    private String titleFor(HttpStatus status, Errno errno) {
        if (title != null) {
            return title;
        }
        return slug == null ? errno.description() + " (" + errno.name() + ")" : status.getReasonPhrase();
    }
}
