package io.bpfmapd.export;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How a view fared at its last scrape (node_exporter's practice: one component failing fails only its own
 * series): {@code bpfmapd_export_up}, {@code bpfmapd_export_errors_total} and the reason that
 * {@code GET /api/v1/exports/{name}} shows.
 */
final class ViewStatus {

    private final AtomicLong errors = new AtomicLong();
    private volatile boolean up = true;
    private volatile String error;
    private volatile Instant lastScrape;
    private volatile long series;

    void ok(long series, Instant at) {
        this.up = true;
        this.error = null;
        this.series = series;
        this.lastScrape = at;
    }

    /** Declared from the configuration before its map is held: down, with the reason, and no error counted yet. */
    void waiting(String reason) {
        this.up = false;
        this.error = reason;
    }

    void failed(String reason, Instant at) {
        this.up = false;
        this.error = reason;
        this.series = 0;
        this.lastScrape = at;
        errors.incrementAndGet();
    }

    boolean up() {
        return up;
    }

    long errors() {
        return errors.get();
    }

    String error() {
        return error;
    }

    Instant lastScrape() {
        return lastScrape;
    }

    long series() {
        return series;
    }
}
