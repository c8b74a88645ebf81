package io.bpfmapd.map;

import io.bpfmapd.testing.DirectoryTree;
import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.testing.Bpftool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The watcher on bpffs, with bpftool as the agent: another process pins, unpins and re-pins. */
@RequiresKernel
class KernelPinWatcherTest extends PinWatcherContract {

    Path root;

    @TempDir
    Path data;

    @BeforeAll
    static void agentTool() {
        Bpftool.require();
    }

    @AfterEach
    void removeDir() throws IOException {
        DirectoryTree.delete(root);
    }

    @Override
    PinSide side() {
        if (root == null) {
            // Made here: the contract's @BeforeEach, which builds the service on it, runs before ours.
            try {
                root = Files.createDirectory(PinDir.path("watch"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return PinSide.kernel(root, data);
    }

    @Override
    void agentPins(Path path, int index, long value) {
        Bpftool.run("map", "create", path.toString(), "type", "array", "key", "4", "value", "8", "entries", "4",
                "name", "agent");
        Bpftool.update(path, index, u64(value));
    }
}
