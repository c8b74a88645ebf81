package io.bpfmapd.config;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.map.PinRoots;
import io.bpfmapd.map.PinRoots.PinRoot;
import io.bpfmapd.map.PinStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where pins go and where the service remembers them. Kernel pins go under the bpffs root
 * ({@code bpfmapd.kernel.bpffs-root}); emulated pins are hard links of the map files, so they must be on
 * the data directory's file system: {@code <data-dir>/pins}. The state file is {@code <data-dir>/pins.json}.
 */
@Configuration(proxyBeanMethods = false)
class PinConfiguration {

    @Bean
    PinRoots pinRoots(KernelProperties kernel, EmulatedBackend emulated) {
        // After the emulated backend, so that nothing is created in a data directory another instance holds.
        Path emulatedPins = emulated.dataDir().normalize().resolve("pins");
        try {
            Files.createDirectories(emulatedPins);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the emulated pin directory " + emulatedPins, e);
        }
        return new PinRoots(Map.of(
                BackendKind.KERNEL, new PinRoot(kernel.bpffsRoot(), "bpf"),
                BackendKind.EMULATED, new PinRoot(emulatedPins, null)));
    }

    /**
     * Made after the emulated backend, whose {@code DataDirLock} must be held before the state file is
     * read (a bad one is rewritten): a second instance on the directory fails before it touches anything.
     */
    @Bean
    PinStore pinStore(EmulatedBackend emulated) {
        return new PinStore(emulated.dataDir().normalize().resolve("pins.json"));
    }
}
