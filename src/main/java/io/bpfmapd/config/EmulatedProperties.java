package io.bpfmapd.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The in-JVM emulation of the kernel's array maps.
 *
 * @param dataDir      directory where pinned emulated maps are persisted
 * @param possibleCpus CPUs a PERCPU_ARRAY value has slots for; 0 reads this machine's possible CPUs
 */
@ConfigurationProperties("bpfmapd.emulated")
public record EmulatedProperties(@DefaultValue("./data") Path dataDir, @DefaultValue("0") int possibleCpus) {
}
