package io.bpfmapd.limits;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * What one client can make the service hold, so that nothing sent over HTTP allocates without bound or
 * exhausts file descriptors. The lease TTL range is {@code bpfmapd.sessions.max-ttl} and range reads are
 * bounded by {@code bpfmapd.api.max-range-count} and {@code bpfmapd.api.max-json-bytes}.
 *
 * @param maxMaps                     maps the service holds at once (each is an fd in the kernel)
 * @param maxTotalMapBytes            sum of the value areas of all maps (per-CPU maps count once per CPU)
 * @param maxValueSize                the largest value size a map may be created with
 * @param maxEntries                  the most entries a map may be created with
 * @param maxSessions                 sessions (mappings) open at once, all principals together, counting
 *                                    the temporary mapping of each whole-map octet-stream read
 * @param maxSessionsPerPrincipal     sessions and whole-map reads one principal may hold open at once
 * @param maxRequestBytes             the largest request body
 * @param maxTotalMappedBytes         bytes mapped at once by all sessions and temporary mappings together:
 *                                    each mapped page may cost the kernel a page-table entry, which no
 *                                    map byte limit counts
 * @param maxMappedBytesPerPrincipal  bytes mapped at once by one principal's sessions and whole-map reads
 * @param streamStallTimeout          how long a whole-map octet-stream read may go without the client
 *                                    taking a byte before its temporary mapping is released and the
 *                                    response aborted
 */
@ConfigurationProperties(LimitsProperties.PREFIX)
public record LimitsProperties(@DefaultValue("1024") int maxMaps,
                               @DefaultValue("512MB") DataSize maxTotalMapBytes,
                               @DefaultValue("64KB") DataSize maxValueSize,
                               @DefaultValue("1048576") int maxEntries,
                               @DefaultValue("4096") int maxSessions,
                               @DefaultValue("256") int maxSessionsPerPrincipal,
                               @DefaultValue("16MB") DataSize maxRequestBytes,
                               @DefaultValue("8GB") DataSize maxTotalMappedBytes,
                               @DefaultValue("2GB") DataSize maxMappedBytesPerPrincipal,
                               @DefaultValue("15s") Duration streamStallTimeout) {

    static final String PREFIX = "bpfmapd.limits";

    @ConstructorBinding
    public LimitsProperties {
        if (maxMaps <= 0 || maxEntries <= 0 || maxSessions <= 0 || maxSessionsPerPrincipal <= 0
                || maxTotalMapBytes.toBytes() <= 0 || maxValueSize.toBytes() <= 0 || maxRequestBytes.toBytes() <= 0
                || maxTotalMappedBytes.toBytes() <= 0 || maxMappedBytesPerPrincipal.toBytes() <= 0
                || streamStallTimeout.isNegative() || streamStallTimeout.isZero()) {
            throw new IllegalArgumentException("every bpfmapd.limits value must be positive");
        }
    }

    /** The limits written before mapped bytes and stalled streams were bounded; those take their defaults. */
    public LimitsProperties(int maxMaps, DataSize maxTotalMapBytes, DataSize maxValueSize, int maxEntries,
                            int maxSessions, int maxSessionsPerPrincipal, DataSize maxRequestBytes) {
        this(maxMaps, maxTotalMapBytes, maxValueSize, maxEntries, maxSessions, maxSessionsPerPrincipal, maxRequestBytes,
                defaults().maxTotalMappedBytes(), defaults().maxMappedBytesPerPrincipal(),
                defaults().streamStallTimeout());
    }

    /**
     * The defaults, as a service configured with nothing gets them: bound from an empty source, so they
     * are the {@code @DefaultValue}s above and are written nowhere else.
     */
    public static LimitsProperties defaults() {
        return new Binder(new MapConfigurationPropertySource()).bindOrCreate(PREFIX, LimitsProperties.class);
    }
}
