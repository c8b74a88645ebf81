package io.bpfmapd.session;

/**
 * The session was closed or expired while a request was reading or writing through it: its mapping
 * was unmapped under the access, which then failed cleanly instead of touching unmapped memory.
 */
public class SessionClosedException extends RuntimeException {

    private final String sessionId;

    public SessionClosedException(String sessionId, Throwable cause) {
        super("session " + sessionId + " was closed while the request used it", cause);
        this.sessionId = sessionId;
    }

    public String sessionId() {
        return sessionId;
    }
}
