package io.bpfmapd.export;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The Prometheus type a view exposes: counter and gauge take one value per element, histogram one bucket. */
public enum MetricType {
    COUNTER, GAUGE, HISTOGRAM;

    @JsonValue
    public String field() {
        return name().toLowerCase(Locale.ROOT);
    }
}
