package io.bpfmapd.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The real kernel backend (bpf() through the FFM API).
 *
 * @param enabled   create the kernel backend; it probes the kernel once and reports itself unavailable
 *                  (in health and on use) rather than failing the start
 * @param bpffsRoot the bpffs directory that kernel pins and imports must stay under (a mounted bpffs)
 */
@ConfigurationProperties("bpfmapd.kernel")
public record KernelProperties(@DefaultValue("true") boolean enabled,
                               @DefaultValue("/sys/fs/bpf") Path bpffsRoot) {
}
