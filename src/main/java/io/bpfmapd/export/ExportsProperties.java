package io.bpfmapd.export;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Metric views over maps, exposed on {@code /actuator/prometheus}.
 *
 * @param maxSeries the most series one view may expose (over all the maps it matches); a view that would
 *                  expose more is refused at declaration
 * @param views     views declared at start-up, as {@code POST /api/v1/exports} would declare them; one that
 *                  cannot apply is a {@code WARN} line and is skipped, one whose map is not held yet waits
 *                  for it
 */
@ConfigurationProperties(ExportsProperties.PREFIX)
public record ExportsProperties(@DefaultValue("65536") int maxSeries, List<ViewSpec> views) {

    static final String PREFIX = "bpfmapd.exports";
    static final String MAX_SERIES = PREFIX + ".max-series";

    public ExportsProperties {
        if (maxSeries <= 0) {
            throw new IllegalArgumentException(MAX_SERIES + " must be positive");
        }
        views = views == null ? List.of() : List.copyOf(views);
    }
}
