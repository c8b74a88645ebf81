package io.bpfmapd.map;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.config.EmulatedProperties;
import io.bpfmapd.config.KernelProperties;
import io.bpfmapd.map.PinRoots.PinRoot;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * Where pins go and where the service remembers them. Kernel pins go under the bpffs root
 * ({@code bpfmapd.kernel.bpffs-root}); emulated pins are hard links of the map files, so they must be on
 * the data directory's file system: {@code <data-dir>/pins}. The state file is {@code <data-dir>/pins.json}.
 * Both beans are made after the emulated backend (named, as {@code map} knows no backend implementation),
 * whose {@code DataDirLock} must be held before anything is created in the data directory or the state
 * file is read (a bad one is rewritten): a second instance on the directory fails before it touches anything.
 */
@Configuration(proxyBeanMethods = false)
class PinConfiguration {

    private static final String EMULATED_BACKEND = "emulatedBackend";

    @Bean
    @DependsOn(EMULATED_BACKEND)
    PinRoots pinRoots(KernelProperties kernel, EmulatedProperties emulated) {
        Path emulatedPins = emulated.dataDir().toAbsolutePath().normalize().resolve("pins");
        try {
            Files.createDirectories(emulatedPins);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the emulated pin directory " + emulatedPins, e);
        }
        return new PinRoots(Map.of(
                BackendKind.KERNEL, new PinRoot(kernel.bpffsRoot(), "bpf"),
                BackendKind.EMULATED, new PinRoot(emulatedPins, null)));
    }

    /** Follows {@code bpfmapd.kernel.watch}; with no globs it starts no thread. */
    @Bean
    PinWatcher kernelPinWatcher(KernelProperties kernel, MapService maps, PinService pins, PinRoots roots,
                                MeterRegistry meters) {
        return new PinWatcher(BackendKind.KERNEL, kernel.watch(), kernel.watchInterval(), kernel.importAccess(), maps,
                pins, roots, meters);
    }

    @Bean
    @DependsOn(EMULATED_BACKEND)
    PinStore pinStore(EmulatedProperties emulated) {
        return new PinStore(emulated.dataDir().toAbsolutePath().normalize().resolve("pins.json"));
    }
}
