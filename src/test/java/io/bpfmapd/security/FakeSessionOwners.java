package io.bpfmapd.security;

import java.util.Map;
import java.util.Optional;
import org.springframework.boot.test.context.TestComponent;

/** Session {@code s-writer} belongs to {@code writer-bot}; every other session id is unknown. */
@TestComponent
class FakeSessionOwners implements SessionOwners {

    static final String WRITERS_SESSION = "s-writer";

    @Override
    public Optional<String> ownerOf(String sessionId) {
        return Optional.ofNullable(Map.of(WRITERS_SESSION, "writer-bot").get(sessionId));
    }
}
