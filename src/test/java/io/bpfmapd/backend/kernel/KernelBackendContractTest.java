package io.bpfmapd.backend.kernel;

import io.bpfmapd.testing.DirectoryTree;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfBackendContract;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.kernel.sys.Fd;
import io.bpfmapd.backend.kernel.sys.IdCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The backend contract against the running kernel: one fresh backend per test, pins in a bpffs directory. */
@RequiresKernel
class KernelBackendContractTest extends BpfBackendContract {

    private KernelBackend backend;
    private BpfResources before;
    private Path pinDir;

    @BeforeEach
    void startBackend() {
        before = BpfResources.snapshot();
        backend = new KernelBackend();
    }

    @AfterEach
    void stopBackend() throws IOException {
        backend.close();
        DirectoryTree.delete(pinDir);
    }

    @Override
    protected BpfBackend backend() {
        return backend;
    }

    @Override
    protected boolean mapExists(long id) {
        try (Fd fd = IdCommands.mapFdById(Math.toIntExact(id))) {
            return fd.value() >= 0;
        } catch (BpfException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    @Override
    protected Path pinDirectory() {
        if (pinDir == null) {
            pinDir = PinDir.path("contract");
            try {
                Files.createDirectory(pinDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pinDir;
    }

    @Override
    protected void assertNothingLeaked() {
        assertThat(backend.openMapCount()).as("map handles still open").isZero();
        assertThat(backend.liveMappingCount()).as("mappings still mapped").isZero();
        BpfResources now = BpfResources.snapshot();
        assertThat(now.bpfFds()).as("BPF fds, before the test: %s", before).isLessThanOrEqualTo(before.bpfFds());
        assertThat(now.bpfMappings()).as("BPF mappings, before the test: %s", before).isLessThanOrEqualTo(before.bpfMappings());
    }
}
