package io.bpfmapd.live;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.map.MapEvent;
import io.bpfmapd.session.SessionEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/events}: every {@link MapEvent} and {@link SessionEvent}, in the order they were
 * published, to every subscriber. The hub keeps the last {@code bpfmapd.streams.event-backlog} events
 * in one ring, encoded once; a subscriber is only a position in it. One that falls further behind than
 * the ring (a client that does not read) loses the oldest: it is sent {@code event: lost} with how many,
 * then carries on from the oldest event still kept. Nothing grows per subscriber. The ring also answers
 * a reconnect's {@code Last-Event-ID}.
 */
@Component
public class EventHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);

    /** The id prefix of this service run's events: an id of another run resumes nothing. */
    private final String epoch = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final JsonMapper json;
    private final Subscribers subscribers;
    private final long heartbeatNanos;
    private final Frame[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition published = lock.newCondition();
    /** Sequence of the last event published; event s sits at ring[s % ring.length]. */
    private long seq;
    private volatile boolean running;
    private boolean stopped;

    EventHub(JsonMapper json, Subscribers subscribers, StreamProperties properties) {
        this.json = json;
        this.subscribers = subscribers;
        this.heartbeatNanos = properties.heartbeat().toNanos();
        this.ring = new Frame[properties.eventBacklog()];
    }

    /** The sequence of the last event published, where a new subscriber starts. */
    long sequence() {
        lock.lock();
        try {
            return seq;
        } finally {
            lock.unlock();
        }
    }

    @EventListener
    void on(MapEvent event) {
        publish(ServiceEvent.of(event));
    }

    @EventListener
    void on(SessionEvent event) {
        publish(ServiceEvent.of(event));
    }

    private void publish(ServiceEvent event) {
        String data = json.writeValueAsString(event);
        lock.lock();
        try {
            seq++;
            ring[(int) (seq % ring.length)] = new Frame(epoch + "-" + seq, event.type(), data);
            published.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Subscribes from now on, or from after {@code lastEventId} if it is one of this run's.
     *
     * @throws io.bpfmapd.limits.LimitExceededException 429 past bpfmapd.streams.max-subscribers
     */
    SseEmitter subscribe(String lastEventId) {
        if (!running) {
            throw new BpfException(Errno.EAGAIN, "events", "the service is stopping");
        }
        subscribers.reserve(Subscribers.Kind.EVENTS);
        long from;
        lock.lock();
        try {
            from = resumeAt(lastEventId);
        } finally {
            lock.unlock();
        }
        SseEmitter emitter = new SseEmitter(0L);
        Subscription subscription = new Subscription(emitter, from);
        emitter.onCompletion(subscription::cancel);
        emitter.onError(e -> subscription.cancel());
        emitter.onTimeout(subscription::cancel);
        Thread.ofVirtual().name("events-subscriber").start(subscription);
        return emitter;
    }

    private long resumeAt(String lastEventId) {
        if (lastEventId != null && lastEventId.startsWith(epoch + "-")) {
            try {
                long at = Long.parseLong(lastEventId.substring(epoch.length() + 1));
                if (at >= 0 && at <= seq) {
                    return at;
                }
            } catch (NumberFormatException e) {
                // not one of ours: from now on
            }
        }
        return seq;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every events stream with {@code event: end} ({@code "shutdown"}) before the web server stops. */
    @Override
    public void stop() {
        running = false;
        lock.lock();
        try {
            stopped = true;
            published.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * What a subscriber at {@code sent[0]} is sent next (and {@code sent[0]} moved past it): the events
     * since, led by a {@code lost} event when some fell out of the backlog; empty after a heartbeat's wait
     * or when cancelled; {@code end} once the hub stopped.
     */
    List<Frame> next(long[] sent, BooleanSupplier cancelled, long waitNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = waitNanos;
            while (seq == sent[0] && !stopped && !cancelled.getAsBoolean()) {
                if (left <= 0) {
                    return List.of();
                }
                left = published.awaitNanos(left);
            }
            List<Frame> out = new ArrayList<>();
            if (cancelled.getAsBoolean()) {
                return out;
            }
            if (seq == sent[0]) { // stopped
                out.add(new Frame(epoch + "-" + seq, "end", json.writeValueAsString(Map.of("reason", StreamRegistry.SHUTDOWN))));
                return out;
            }
            long oldest = Math.max(sent[0] + 1, seq - ring.length + 1);
            if (oldest > sent[0] + 1) {
                long lost = oldest - sent[0] - 1;
                out.add(new Frame(epoch + "-" + (oldest - 1), "lost", json.writeValueAsString(Map.of("lost", lost))));
            }
            for (long s2 = oldest; s2 <= seq; s2++) {
                out.add(ring[(int) (s2 % ring.length)]);
            }
            sent[0] = seq;
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes subscribers so that a cancelled one sees it. */
    private void wake() {
        lock.lock();
        try {
            published.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private final class Subscription implements Runnable {
        private final SseEmitter emitter;
        private final long from;
        private volatile boolean cancelled;

        Subscription(SseEmitter emitter, long from) {
            this.emitter = emitter;
            this.from = from;
        }

        void cancel() {
            cancelled = true;
            wake();
        }

        @Override
        public void run() {
            long[] sent = {from};
            try {
                // a first comment, so that the client sees the stream open before the first event
                emitter.send(SseEmitter.event().comment(" subscribed"));
                while (!cancelled) {
                    List<Frame> frames = next(sent, () -> cancelled, heartbeatNanos);
                    if (cancelled) {
                        break;
                    }
                    if (frames.isEmpty()) {
                        emitter.send(SseEmitter.event().comment(" keep-alive"));
                        continue;
                    }
                    for (Frame frame : frames) {
                        subscribers.sent(Subscribers.Kind.EVENTS, frame.sendTo(emitter));
                        if (frame.name().equals("end")) {
                            emitter.complete();
                            return;
                        }
                    }
                }
            } catch (IOException | IllegalStateException gone) {
                log.debug("events subscriber gone: {}", gone.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("events subscriber failed", e);
                emitter.completeWithError(e);
            } finally {
                subscribers.release(Subscribers.Kind.EVENTS);
            }
        }
    }
}
