package io.bpfmapd.map;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.backend.kernel.KernelBackend;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.config.BackendProperties;
import io.bpfmapd.map.PinRoots.PinRoot;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One backend's side of the pin tests ({@link PinRecoveryContract}, {@link PinWatcherContract}): a new
 * backend of its kind, where its pins go (and the file system they must be on), and the state file; and
 * the map and pin services the tests build on them, as the application wires them.
 */
record PinSide(BackendKind kind, Supplier<BpfBackend> backends, Path pinRoot, String fsType, Path stateFile) {

    /** The emulation on {@code data}: pins are hard links under {@code <data>/pins}, any file system. */
    static PinSide emulated(Path data) {
        Path pins = data.resolve("pins");
        try {
            Files.createDirectories(pins);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PinSide(BackendKind.EMULATED, () -> new EmulatedBackend(data, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES),
                pins, null, data.resolve("pins.json"));
    }

    /** The kernel: pins in {@code root}, a directory of bpffs; the state file under {@code data}. */
    static PinSide kernel(Path root, Path data) {
        return new PinSide(BackendKind.KERNEL, KernelBackend::new, root, "bpf", data.resolve("pins.json"));
    }

    BpfBackend newBackend() {
        return backends.get();
    }

    PinRoots roots() {
        return new PinRoots(Map.of(kind, new PinRoot(pinRoot, fsType)));
    }

    MapService mapService(BpfBackend backend, MeterRegistry meters) {
        return new MapService(List.of(backend), new BackendProperties(kind), new ApiProperties(1024, 1 << 20),
                Clock.systemUTC(), meters);
    }

    PinService pinService(MapService maps, PinStore store) {
        return new PinService(maps, roots(), store, Clock.systemUTC());
    }
}
