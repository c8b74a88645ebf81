package io.bpfmapd.map;

import java.time.Instant;

/**
 * Something happened to a map the service holds, published as a Spring application event by
 * {@link MapService} after the change took effect (listeners run on the caller's thread: keep them short).
 * The live views ({@code /api/v1/events}, value streams that end when their map is deleted) listen to it.
 */
public record MapEvent(Kind kind, String mapId, Instant at) {

    /** {@code map.created} also covers a map the service took over (an import, a restart). */
    public enum Kind {
        CREATED, FROZEN, DELETED;

        /** The event's name on {@code /api/v1/events}: {@code map.created}, {@code map.frozen}, {@code map.deleted}. */
        public String eventName() {
            return "map." + name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
