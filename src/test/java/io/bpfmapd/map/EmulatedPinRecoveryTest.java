package io.bpfmapd.map;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Pin recovery on the emulated backend: pins are hard links under {@code <data-dir>/pins}. */
class EmulatedPinRecoveryTest extends PinRecoveryContract {

    @TempDir
    Path data;

    @Override
    BackendKind kind() {
        return BackendKind.EMULATED;
    }

    @Override
    BpfBackend newBackend() {
        return new EmulatedBackend(data, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
    }

    @Override
    Path pinRoot() {
        try {
            return Files.createDirectories(data.resolve("pins"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    String fsType() {
        return null;
    }

    @Override
    Path stateFile() {
        return data.resolve("pins.json");
    }

    @Override
    void occupy(Path path) {
        try {
            Files.writeString(path, "not the service's");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
