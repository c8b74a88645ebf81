package io.bpfmapd.live;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.map.ValueFormat;
import io.bpfmapd.web.ApiDocs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Live views as server-sent events: a window of a map's values, and the service's map and session events. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
@Tag(name = "live", description = "Server-sent event streams for dashboards: values as they change, map and session events")
class LiveController {

    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final StreamRegistry streams;
    private final EventHub events;

    LiveController(StreamRegistry streams, EventHub events) {
        this.streams = streams;
        this.events = events;
    }

    @GetMapping("/maps/{id}/values/stream")
    @Operation(summary = "Stream a window of values as they change (server-sent events)",
            description = "First `event: snapshot` (data shaped like a range read), then at most one `event: changes` "
                    + "per interval with only the elements that changed (`{\"changes\": [{\"index\": 3, \"u64\": [7]}]}`, "
                    + "with `rate` per integer when rate=true), `: keep-alive` comments while idle, and `event: end` "
                    + "(`{\"reason\": \"map deleted\"}` or `\"shutdown\"`) when the stream ends. Every event has an id; "
                    + "a reconnect with Last-Event-ID gets the changes since it while the shared reader still runs, "
                    + "else a new snapshot. An MMAPABLE map is compared through one read-only mapping per window "
                    + "(one slot of bpfmapd.limits.max-sessions), any other by lookups.",
            operationId = "streamValues")
    @ApiResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "EINVAL: from outside the map, a count past maxEntries or above "
            + "bpfmapd.api.max-json-bytes of values, an interval below bpfmapd.streams.min-interval, rate with a "
            + "string format, or a bad format")
    @ApiResponse(responseCode = "404", description = ApiDocs.MAP_NOT_FOUND)
    @ApiResponse(responseCode = "429", description = "ENFILE: bpfmapd.streams.max-subscribers streams are open, "
            + "or bpfmapd.limits.max-sessions mappings")
    SseEmitter streamValues(@PathVariable String id,
                            @RequestParam(defaultValue = "0") int from,
                            @Parameter(description = "Elements in the window; by default to maxEntries, as far as "
                                    + "bpfmapd.api.max-json-bytes of values allow") @RequestParam(required = false) Integer count,
                            @Parameter(description = "How often the window is compared: 250ms, 1s, ... (a bare number is "
                                    + "milliseconds); at least bpfmapd.streams.min-interval, by default "
                                    + "bpfmapd.streams.default-interval") @RequestParam(required = false) String interval,
                            @Parameter(schema = @Schema(implementation = ValueFormat.class,
                                    defaultValue = ValueFormat.DEFAULT_NAME)) @RequestParam(required = false) String format,
                            @Parameter(description = "Add each changed element's change per second (integer formats)")
                            @RequestParam(defaultValue = "false") boolean rate,
                            @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventId) {
        WindowKey key = streams.window(id, from, count, format, duration(interval), rate);
        return streams.subscribe(key, lastEventId);
    }

    @GetMapping("/events")
    @Operation(summary = "Stream the service's map and session events (server-sent events)",
            description = "`map.created`, `map.frozen`, `map.deleted`, `session.opened`, `session.renewed`, "
                    + "`session.closed`, `session.expired`, in order, each with an id; data "
                    + "`{\"type\", \"at\", \"mapId\", \"sessionId\", \"owner\", \"access\", \"expiresAt\"}` (session fields "
                    + "for session events). A subscriber that falls more than bpfmapd.streams.event-backlog events "
                    + "behind gets `event: lost` (`{\"lost\": n}`) instead of the oldest; a reconnect with "
                    + "Last-Event-ID resumes from the backlog.",
            operationId = "streamEvents")
    @ApiResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "429", description = "ENFILE: bpfmapd.streams.max-subscribers streams are open")
    SseEmitter streamEvents(@RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventId) {
        return events.subscribe(lastEventId);
    }

    private static Duration duration(String interval) {
        if (interval == null || interval.isBlank()) {
            return null;
        }
        try {
            return DurationStyle.detectAndParse(interval.strip());
        } catch (IllegalArgumentException e) {
            throw new BpfException(Errno.EINVAL, "stream", "interval '" + interval + "' is not a duration (250ms, 1s)");
        }
    }
}
