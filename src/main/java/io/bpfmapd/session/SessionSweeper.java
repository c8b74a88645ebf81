package io.bpfmapd.session;

import io.bpfmapd.config.PeriodicTask;
import io.bpfmapd.config.SessionProperties;
import org.springframework.stereotype.Component;

/**
 * Releases expired leases every {@code bpfmapd.sessions.sweep-interval}, so a client that vanished
 * stops blocking freeze within its TTL plus one interval. Stops before the registry releases the rest.
 */
@Component
class SessionSweeper extends PeriodicTask {

    private final SessionRegistry registry;

    SessionSweeper(SessionRegistry registry, SessionProperties properties) {
        super("session-sweeper", properties.sweepInterval());
        this.registry = registry;
    }

    @Override
    protected void runOnce() {
        registry.expireDue();
    }
}
