package io.bpfmapd.live;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The live views: value streams ({@code GET /maps/{id}/values/stream}) and the event stream
 * ({@code GET /events}). A stream window's snapshot is bounded like a JSON read, by
 * {@code bpfmapd.api.max-json-bytes} of value bytes.
 *
 * @param minInterval     the shortest {@code interval} a value stream may ask for; shorter is {@code EINVAL}
 * @param defaultInterval the interval of a value stream that names none
 * @param heartbeat       how long a stream stays silent before a {@code : keep-alive} comment, so that
 *                        proxies do not close it as idle
 * @param maxSubscribers  open streams (value streams and event streams together); one more is a 429
 * @param eventBacklog    events {@code /events} keeps for subscribers that fall behind and for
 *                        {@code Last-Event-ID}; a subscriber further behind gets a {@code lost} event
 */
@ConfigurationProperties("bpfmapd.streams")
public record StreamProperties(@DefaultValue("100ms") Duration minInterval,
                               @DefaultValue("1s") Duration defaultInterval,
                               @DefaultValue("15s") Duration heartbeat,
                               @DefaultValue("1024") int maxSubscribers,
                               @DefaultValue("256") int eventBacklog) {

    public StreamProperties {
        if (minInterval.isNegative() || minInterval.isZero() || defaultInterval.compareTo(minInterval) < 0
                || heartbeat.isNegative() || heartbeat.isZero() || maxSubscribers <= 0 || eventBacklog <= 0) {
            throw new IllegalArgumentException("bpfmapd.streams: intervals and limits must be positive, "
                    + "and default-interval at least min-interval");
        }
    }
}
