package io.bpfmapd.session;

import io.bpfmapd.web.ProblemException;
import io.bpfmapd.web.ProblemType;

/**
 * The session was closed or expired while a request was reading or writing through it: its mapping
 * was unmapped under the access, which then failed cleanly instead of touching unmapped memory. 410.
 */
public class SessionClosedException extends ProblemException {

    private final String sessionId;

    public SessionClosedException(String sessionId, Throwable cause) {
        super(ProblemType.SESSION_CLOSED, "session " + sessionId + " was closed while the request used it", cause);
        this.sessionId = sessionId;
    }

    public String sessionId() {
        return sessionId;
    }
}
