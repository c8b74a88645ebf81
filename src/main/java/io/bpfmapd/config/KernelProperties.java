package io.bpfmapd.config;

import io.bpfmapd.backend.Access;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param importAccess    how {@code imports} and {@code watch} open the pins: {@code READ_ONLY}
 *                        (BPF_F_RDONLY) needs only read permission on the pin and no capability; such
 *                        maps are read through lookups and batches, never mapped
 * @param watch           globs under {@code bpffs-root} (such as {@code agent/**}) whose pins are
 *                        followed: a map pinned there is imported, one whose pin goes is forgotten, one
 *                        re-pinned there (another kernel map id) is switched to
 * @param watchInterval   how often the watched globs are scanned
 */
@ConfigurationProperties("bpfmapd.kernel")
public record KernelProperties(@DefaultValue("true") boolean enabled,
                               @DefaultValue("/sys/fs/bpf") Path bpffsRoot,
                               @DefaultValue List<String> imports,
                               @DefaultValue("READ_WRITE") Access importAccess,
                               @DefaultValue List<String> watch,
                               @DefaultValue("2s") Duration watchInterval) {

    public KernelProperties {
        imports = List.copyOf(imports);
        watch = List.copyOf(watch);
        for (String glob : watch) {
            Path p = Path.of(glob);
            if (glob.isBlank() || p.isAbsolute() || p.normalize().startsWith("..") || glob.contains("/../")
                    || glob.startsWith("../") || glob.endsWith("/..")) {
                throw new IllegalArgumentException("bpfmapd.kernel.watch: '" + glob
                        + "' must be a glob relative to bpfmapd.kernel.bpffs-root, without '..'");
            }
        }
        if (watchInterval.isNegative() || watchInterval.isZero()) {
            throw new IllegalArgumentException("bpfmapd.kernel.watch-interval must be positive, not " + watchInterval);
        }
    }
}
