package io.bpfmapd.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the REST API that keep one request from allocating without bound.
 *
 * @param maxRangeCount most values one {@code GET /maps/{id}/values?from=&count=} returns
 * @param maxJsonBytes  most value bytes one JSON read returns, of session memory or of a range of values
 *                      (octet-stream reads stream and have no such limit)
 */
@ConfigurationProperties("bpfmapd.api")
public record ApiProperties(@DefaultValue("1024") int maxRangeCount, @DefaultValue("1048576") int maxJsonBytes) {

    public ApiProperties {
        if (maxRangeCount <= 0 || maxJsonBytes <= 0) {
            throw new IllegalArgumentException("bpfmapd.api limits must be positive");
        }
    }
}
