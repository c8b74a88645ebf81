package io.bpfmapd.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A task run every interval on a daemon thread of its own, from the context's start to its stop (which
 * comes before any bean is destroyed). A run that throws is logged and does not end the schedule: the
 * next run retries.
 */
public abstract class PeriodicTask implements SmartLifecycle {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String threadName;
    private final Duration interval;
    private ScheduledExecutorService executor;

    protected PeriodicTask(String threadName, Duration interval) {
        this.threadName = threadName;
        this.interval = interval;
    }

    /** One run; it may throw, the schedule goes on. */
    protected abstract void runOnce();

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(threadName).daemon(true)
                .factory());
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(this::runGuarded, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void runGuarded() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.error("{} failed; the next run retries", threadName, e);
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
