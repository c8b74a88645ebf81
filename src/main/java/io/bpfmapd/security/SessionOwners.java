package io.bpfmapd.security;

import java.util.Optional;

/** Who opened a session: the one lookup the ownership rule needs from the session layer. */
@FunctionalInterface
public interface SessionOwners {

    /** The owner of an open session; empty for a session that does not exist (the API answers 404). */
    Optional<String> ownerOf(String sessionId);
}
