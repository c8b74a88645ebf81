package io.bpfmapd.security;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Polls the tokens file so that a rotated Kubernetes Secret takes effect without a restart. Polling
 * rather than a WatchService: the kubelet updates a Secret volume by swapping a {@code ..data}
 * symlink in the parent directory, which inotify on the file itself never reports, and a poll of a
 * small file every few seconds costs nothing.
 */
public final class TokensFileWatcher implements SmartLifecycle {

    private final TokenRegistry registry;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public TokensFileWatcher(TokenRegistry registry, Duration interval) {
        this.registry = registry;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("bpfmapd-tokens-reload").daemon(true).factory());
        long millis = interval.toMillis();
        // reloadIfChanged logs its own failures; an unexpected one must not end the periodic task.
        executor.scheduleWithFixedDelay(() -> {
            try {
                registry.reloadIfChanged();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(TokensFileWatcher.class).error("Tokens file reload failed", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
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
