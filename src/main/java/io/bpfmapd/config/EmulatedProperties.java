package io.bpfmapd.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The in-JVM emulation of the kernel's array maps.
 *
 * @param dataDir      directory of the emulated maps' files ({@code anon/} for unpinned maps, {@code pins/} for pinned ones, {@code pins.json} the pin state)
 * @param possibleCpus CPUs a PERCPU_ARRAY value has a slot for; 0 reads this machine's possible CPUs, as the
 *                     kernel sizes them
 * @param maxMapBytes  the largest emulated map (its file: header page plus data area); larger is ENOMEM
 */
@ConfigurationProperties("bpfmapd.emulated")
public record EmulatedProperties(@DefaultValue("./data") Path dataDir,
                                 @DefaultValue("0") int possibleCpus,
                                 @DefaultValue("1GB") DataSize maxMapBytes) {

    public EmulatedProperties {
        if (possibleCpus < 0) {
            throw new IllegalArgumentException("bpfmapd.emulated.possible-cpus must be 0 (this machine's) or more");
        }
    }
}
