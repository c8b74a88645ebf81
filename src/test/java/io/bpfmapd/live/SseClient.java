package io.bpfmapd.live;

import io.bpfmapd.testing.ApiClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A server-sent events client over real HTTP (java.net.http), reading the stream line by line on a
 * thread of its own into a queue of events and comments, as a browser's EventSource parses them.
 */
final class SseClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One event (name null for a comment, whose text is then in data). */
    record Event(String id, String name, String data) {
        JsonNode json() {
            return ApiClient.JSON.readTree(data);
        }

        boolean comment() {
            return name == null && id == null;
        }
    }

    final int status;
    final String body;
    private final InputStream in;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response) throws Exception {
        this.status = response.statusCode();
        this.in = response.body();
        if (status != 200) {
            this.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            this.reader = null;
            return;
        }
        this.body = null;
        this.reader = Thread.ofPlatform().daemon().start(this::read);
    }

    static SseClient open(String baseUrl, String pathAndQuery, String lastEventId) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                    .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30));
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null || name != null) {
                        events.add(new Event(id, name, data == null ? "" : data.toString()));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, null, line.substring(1).strip()));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String d = line.substring(5);
                    d = d.startsWith(" ") ? d.substring(1) : d;
                    data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
                }
            }
        } catch (Exception closed) {
            // closed by the test
        } finally {
            ended = true;
        }
    }

    /** The next event that is not a comment, within {@code timeout}; fails if none comes. */
    Event next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event e = poll(Duration.ofNanos(deadline - System.nanoTime()));
            if (e == null) {
                throw new AssertionError("no event within " + timeout);
            }
            if (!e.comment()) {
                return e;
            }
        }
    }

    /** The next event or comment, or null after {@code timeout}. */
    Event poll(Duration timeout) {
        try {
            long left = Math.max(0, timeout.toNanos());
            return events.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether the server ended the response. */
    boolean ended() {
        return ended && events.isEmpty();
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (Exception ignored) {
            // already closed
        }
        if (reader != null) {
            reader.interrupt();
        }
    }
}
