package io.bpfmapd.map;

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
    PinSide side() {
        return PinSide.emulated(data);
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
