package io.bpfmapd.session;

import java.time.Instant;

/**
 * A session was opened, renewed, closed or expired, published as a Spring application event by
 * {@link SessionRegistry} after the change took effect (listeners run on the caller's thread: keep them short).
 *
 * @param session the session as the API shows it, with the expiry it has after the change
 */
public record SessionEvent(Kind kind, SessionResource session, Instant at) {

    public enum Kind {
        OPENED, RENEWED, CLOSED, EXPIRED;

        /** The event's name on {@code /api/v1/events}: {@code session.opened} ... {@code session.expired}. */
        public String eventName() {
            return "session." + name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
