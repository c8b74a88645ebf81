package io.bpfmapd.session;

import io.bpfmapd.web.ProblemException;
import io.bpfmapd.web.ProblemType;

/** No session with this id is open: never opened, closed, or its lease expired. 404, errno ENOENT. */
public class SessionNotFoundException extends ProblemException {

    private final String sessionId;

    public SessionNotFoundException(String sessionId) {
        super(ProblemType.SESSION_NOT_FOUND, "no open session with id " + sessionId, null);
        this.sessionId = sessionId;
    }

    public String sessionId() {
        return sessionId;
    }
}
