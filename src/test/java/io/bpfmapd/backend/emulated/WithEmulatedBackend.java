package io.bpfmapd.backend.emulated;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh two-CPU emulated backend over its own temporary data directory for each test, closed after it. */
abstract class WithEmulatedBackend {

    @TempDir
    Path dataDir;

    EmulatedBackend backend;

    @BeforeEach
    void startBackend() {
        backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }
}
