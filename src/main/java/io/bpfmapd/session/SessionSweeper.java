package io.bpfmapd.session;

import io.bpfmapd.config.SessionProperties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Releases expired leases every {@code bpfmapd.sessions.sweep-interval}, so a client that vanished
 * stops blocking freeze within its TTL plus one interval. Stops before the registry releases the rest.
 */
@Component
class SessionSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionSweeper.class);

    private final SessionRegistry registry;
    private final SessionProperties properties;
    private ScheduledExecutorService executor;

    SessionSweeper(SessionRegistry registry, SessionProperties properties) {
        this.registry = registry;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("session-sweeper")
                .factory());
        long interval = properties.sweepInterval().toMillis();
        executor.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            registry.expireDue();
        } catch (RuntimeException e) {
            // A failed sweep must not cancel the schedule: the next one retries.
            log.warn("session sweep failed", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
