package io.bpfmapd.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * mmap sessions, held as leases.
 *
 * @param defaultTtl    lease time of a session opened or renewed without {@code ttlSeconds}
 * @param maxTtl        the longest lease a client may ask for; more is refused with EINVAL
 * @param sweepInterval how often expired leases are looked for and released
 */
@ConfigurationProperties("bpfmapd.sessions")
public record SessionProperties(@DefaultValue("60s") Duration defaultTtl,
                                @DefaultValue("1h") Duration maxTtl,
                                @DefaultValue("1s") Duration sweepInterval) {

    public SessionProperties {
        if (defaultTtl.isNegative() || defaultTtl.isZero() || defaultTtl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException(
                    "bpfmapd.sessions.default-ttl must be positive and at most max-ttl, was " + defaultTtl);
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("bpfmapd.sessions.sweep-interval must be positive, was " + sweepInterval);
        }
    }
}
