package io.bpfmapd.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * What one client can make the service hold, so that nothing sent over HTTP allocates without bound or
 * exhausts file descriptors. The lease TTL range is {@code bpfmapd.sessions.max-ttl} and range reads are
 * bounded by {@code bpfmapd.api.max-range-count} and {@code bpfmapd.api.max-json-bytes}.
 *
 * @param maxMaps                  maps the service holds at once (each is an fd in the kernel)
 * @param maxTotalMapBytes         sum of the value areas of all maps (per-CPU maps count once per CPU)
 * @param maxValueSize             the largest value size a map may be created with
 * @param maxEntries               the most entries a map may be created with
 * @param maxSessions              sessions (mappings) open at once, all principals together
 * @param maxSessionsPerPrincipal  sessions one principal may hold open at once
 * @param maxRequestBytes          the largest request body
 */
@ConfigurationProperties(LimitsProperties.PREFIX)
public record LimitsProperties(@DefaultValue("1024") int maxMaps,
                               @DefaultValue("512MB") DataSize maxTotalMapBytes,
                               @DefaultValue("64KB") DataSize maxValueSize,
                               @DefaultValue("1048576") int maxEntries,
                               @DefaultValue("4096") int maxSessions,
                               @DefaultValue("256") int maxSessionsPerPrincipal,
                               @DefaultValue("16MB") DataSize maxRequestBytes) {

    static final String PREFIX = "bpfmapd.limits";

    public LimitsProperties {
        if (maxMaps <= 0 || maxEntries <= 0 || maxSessions <= 0 || maxSessionsPerPrincipal <= 0
                || maxTotalMapBytes.toBytes() <= 0 || maxValueSize.toBytes() <= 0 || maxRequestBytes.toBytes() <= 0) {
            throw new IllegalArgumentException("every bpfmapd.limits value must be positive");
        }
    }

    /**
     * The defaults, as a service configured with nothing gets them: bound from an empty source, so they
     * are the {@code @DefaultValue}s above and are written nowhere else.
     */
    public static LimitsProperties defaults() {
        return new Binder(new MapConfigurationPropertySource()).bindOrCreate(PREFIX, LimitsProperties.class);
    }
}
