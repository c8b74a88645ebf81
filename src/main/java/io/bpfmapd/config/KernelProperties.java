package io.bpfmapd.config;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The real kernel backend (bpf() through the FFM API). The one record bound to {@code bpfmapd.kernel};
 * its defaults are the {@code @DefaultValue}s here and nowhere else.
 *
 * @param enabled   create the kernel backend; it probes the kernel once and reports itself unavailable
 *                  (in health and on use) rather than failing the start
 * @param bpffsRoot the bpffs directory that kernel pins and imports must stay under (a mounted bpffs)
 * @param imports   pinned kernel maps to import when the service starts (the node-telemetry DaemonSet
 *                  lists the maps its eBPF agent pins, Helm value {@code kernel.imports}): absolute, or
 *                  relative to {@code bpffs-root}, imported as {@code POST /api/v1/maps/import} would;
 *                  one that fails is logged and skipped
 */
@ConfigurationProperties("bpfmapd.kernel")
public record KernelProperties(@DefaultValue("true") boolean enabled,
                               @DefaultValue("/sys/fs/bpf") Path bpffsRoot,
                               @DefaultValue List<String> imports) {

    public KernelProperties {
        imports = List.copyOf(imports);
    }
}
