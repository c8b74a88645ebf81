package io.bpfmapd.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The real kernel backend (bpf() through the FFM API).
 *
 * @param enabled create the kernel backend; it probes the kernel once and reports itself unavailable
 *                (in health and on use) rather than failing the start
 */
@ConfigurationProperties("bpfmapd.kernel")
public record KernelProperties(@DefaultValue("true") boolean enabled) {
}
