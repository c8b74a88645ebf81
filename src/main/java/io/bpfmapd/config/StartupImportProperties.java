package io.bpfmapd.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kernel maps to import when the service starts: the node-telemetry DaemonSet lists the maps its
 * eBPF agent pins (Helm value {@code kernel.imports}).
 *
 * @param imports pinned paths under {@code bpfmapd.kernel.bpffs-root} (absolute, or relative to it),
 *                imported as {@code POST /api/v1/maps/import} would; one that fails is logged and skipped
 */
@ConfigurationProperties("bpfmapd.kernel")
public record StartupImportProperties(@DefaultValue List<String> imports) {

    public StartupImportProperties {
        imports = List.copyOf(imports);
    }
}
