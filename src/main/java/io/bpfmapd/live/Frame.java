package io.bpfmapd.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One server-sent event, its data already JSON (one line: compact JSON has no newline), so that one
 * frame can go to many subscribers without being encoded again.
 *
 * @param id   the {@code id:} field, which a reconnecting client sends back as {@code Last-Event-ID}
 * @param name the {@code event:} field: {@code snapshot}, {@code changes}, {@code end}, {@code map.created}...
 */
record Frame(String id, String name, String data) {

    private static final MediaType JSON_TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

    /** Sends the frame; returns the bytes it takes on the wire, for the bytes metric. */
    long sendTo(SseEmitter emitter) throws IOException {
        emitter.send(SseEmitter.event().id(id).name(name).data(data, JSON_TEXT));
        // "id:" id "\n" "event:" name "\n" "data:" data "\n" "\n"
        return id.length() + name.length() + data.getBytes(StandardCharsets.UTF_8).length + 20;
    }
}
