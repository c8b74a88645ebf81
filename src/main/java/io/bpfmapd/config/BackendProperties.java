package io.bpfmapd.config;

import io.bpfmapd.backend.BackendKind;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * Which backend serves a request that does not name one.
 *
 * @param defaultKind the backend of maps created without {@code backend} ({@code bpfmapd.backend.default})
 */
@ConfigurationProperties("bpfmapd.backend")
public record BackendProperties(@Name("default") @DefaultValue("EMULATED") BackendKind defaultKind) {
}
