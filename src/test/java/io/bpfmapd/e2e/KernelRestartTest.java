package io.bpfmapd.e2e;

import static io.bpfmapd.e2e.BpffsRoot.u64;

import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.testing.Bpftool;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link AbstractRestartTest} on the real kernel, bpftool as the agent: the maps that come back are the
 * same kernel maps (same kernel id), which their pins in a fresh bpffs directory held meanwhile.
 */
@RequiresKernel
class KernelRestartTest extends AbstractRestartTest {

    Path root;

    @BeforeEach
    void bpffs() {
        Bpftool.require();
        root = BpffsRoot.create("restart_root");
    }

    @AfterEach
    void cleanUp() {
        BpffsRoot.remove(root);
    }

    @Override
    String backend() {
        return "KERNEL";
    }

    @Override
    ServiceRun start() {
        return ServiceRun.start("bpfmapd.emulated.data-dir=" + data, "bpfmapd.kernel.bpffs-root=" + root);
    }

    @Override
    Path pinRoot() {
        return root;
    }

    @Override
    boolean keepsKernelIds() {
        return true;
    }

    @Override
    void agentCreates(Path pin, String name, int index, long value) {
        Bpftool.run("map", "create", pin.toString(), "type", "array", "key", "4", "value", "8", "entries", "16",
                "name", name, "flags", "1024");
        Bpftool.update(pin, index, u64(value));
    }

    @Override
    boolean agentSeesFrozen(Path pin) {
        return Bpftool.run("map", "show", "pinned", pin.toString()).contains("frozen");
    }
}
