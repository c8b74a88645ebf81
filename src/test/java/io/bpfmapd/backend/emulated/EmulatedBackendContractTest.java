package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfBackendContract;
import io.bpfmapd.backend.PossibleCpus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend contract against the emulation of a kernel with 4 KiB pages (x86_64, most arm64), one
 * fresh backend and data directory per test. {@link EmulatedBackend64KibPagesContractTest} runs it again
 * with the 64 KiB pages of some arm64 kernels.
 */
class EmulatedBackendContractTest extends BpfBackendContract {

    @TempDir
    Path dataDir;

    private EmulatedBackend backend;

    @BeforeEach
    void startBackend() {
        backend = new EmulatedBackend(dataDir, PossibleCpus.count(), EmulatedBackend.DEFAULT_MAX_MAP_BYTES, pageSize());
    }

    /** The emulated kernel's PAGE_SIZE. */
    long pageSize() {
        return 4096;
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    @Override
    protected BpfBackend backend() {
        return backend;
    }

    @Override
    protected boolean mapExists(long id) {
        return backend.mapExists(id);
    }

    @Override
    protected Path pinDirectory() {
        Path pins = dataDir.resolve("pins");
        try {
            Files.createDirectories(pins);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return pins;
    }

    @Override
    protected void assertNothingLeaked() {
        // Pinned maps are held by their pins, as in bpffs; everything else must be gone.
        assertThat(backend.liveMapCount()).isEqualTo(backend.pinnedMapCount());
        try (var files = Files.list(backend.dataDir().resolve("anon"))) {
            assertThat(files.count()).as("unpinned map files left").isEqualTo(backend.liveMapCount());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
