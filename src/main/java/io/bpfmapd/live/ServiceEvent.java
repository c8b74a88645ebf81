package io.bpfmapd.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bpfmapd.map.MapEvent;
import io.bpfmapd.session.SessionAccess;
import io.bpfmapd.session.SessionEvent;
import io.bpfmapd.session.SessionResource;
import java.time.Instant;

/**
 * The data of one {@code /api/v1/events} event: what happened ({@code type}, also the SSE event name), to
 * which map, and for a session which one, whose, and its lease.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ServiceEvent(String type, Instant at, String mapId, String sessionId, String owner, SessionAccess access,
                    Instant expiresAt) {

    static ServiceEvent of(MapEvent e) {
        return new ServiceEvent(e.kind().eventName(), e.at(), e.mapId(), null, null, null, null);
    }

    static ServiceEvent of(SessionEvent e) {
        SessionResource s = e.session();
        return new ServiceEvent(e.kind().eventName(), e.at(), s.mapId(), s.id(), s.owner(), s.access(), s.expiresAt());
    }
}
