package io.bpfmapd.security;

import io.bpfmapd.config.PeriodicTask;
import java.time.Duration;

/**
 * Polls the tokens file so that a rotated Kubernetes Secret takes effect without a restart. Polling
 * rather than a WatchService: the kubelet updates a Secret volume by swapping a {@code ..data}
 * symlink in the parent directory, which inotify on the file itself never reports, and a poll of a
 * small file every few seconds costs nothing. {@link TokenRegistry#reloadIfChanged} logs its own failures.
 */
public final class TokensFileWatcher extends PeriodicTask {

    private final TokenRegistry registry;

    public TokensFileWatcher(TokenRegistry registry, Duration interval) {
        super("bpfmapd-tokens-reload", interval);
        this.registry = registry;
    }

    /** Without a tokens file there is nothing to poll: no thread is started. */
    @Override
    public synchronized void start() {
        if (registry.hasFile()) {
            super.start();
        }
    }

    @Override
    protected void runOnce() {
        registry.reloadIfChanged();
    }
}
