package io.bpfmapd.security;

import java.util.Optional;

/** Who opened a session and on which map: what the ownership rule and the audit log need of the session layer. */
public interface SessionOwners {

    /** The owner of an open session; empty for a session that does not exist (the API answers 404). */
    Optional<String> ownerOf(String sessionId);

    /** The map of an open session, for the audit line of a request that names only the session. */
    default Optional<String> mapOf(String sessionId) {
        return Optional.empty();
    }
}
