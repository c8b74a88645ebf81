package io.bpfmapd.web;

import io.bpfmapd.backend.Errno;
import java.net.URI;
import java.util.Locale;

/**
 * The stable {@code type} URIs of our problem details (RFC 9457 §3.1.1). They are URNs on purpose:
 * identifiers a client may switch on, not links that promise a page. One per errno
 * ({@code urn:bpfmapd:problem:ebusy}) and one per failure that is not an errno.
 */
public final class ProblemTypes {

    public static final String PREFIX = "urn:bpfmapd:problem:";

    public static final URI MAP_NOT_FOUND = of("map-not-found");
    public static final URI SESSION_NOT_FOUND = of("session-not-found");
    public static final URI SESSION_CLOSED = of("session-closed");
    public static final URI BACKEND_UNAVAILABLE = of("backend-unavailable");
    /** The body is not JSON, or not the JSON the endpoint takes (wrong type, unknown enum or field). */
    public static final URI MALFORMED_REQUEST = of("malformed-request");
    /** Well-formed but refused by validation (a missing field, a negative number, a bad parameter). */
    public static final URI INVALID_REQUEST = of("invalid-request");
    public static final URI NOT_FOUND = of("not-found");
    public static final URI METHOD_NOT_ALLOWED = of("method-not-allowed");
    public static final URI NOT_ACCEPTABLE = of("not-acceptable");
    public static final URI UNSUPPORTED_MEDIA_TYPE = of("unsupported-media-type");
    public static final URI PAYLOAD_TOO_LARGE = of("payload-too-large");
    public static final URI INTERNAL_ERROR = of("internal-error");

    private ProblemTypes() {
    }

    /** {@code urn:bpfmapd:problem:<errno in lower case>}, e.g. {@code urn:bpfmapd:problem:ebusy}. */
    public static URI of(Errno errno) {
        return of(errno.name().toLowerCase(Locale.ROOT));
    }

    private static URI of(String slug) {
        return URI.create(PREFIX + slug);
    }
}
