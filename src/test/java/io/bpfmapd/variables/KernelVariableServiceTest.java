package io.bpfmapd.variables;

import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.kernel.KernelBackend;
import io.bpfmapd.backend.kernel.RequiresKernel;
import java.nio.file.Path;

/**
 * {@link AbstractVariableServiceTest} on the kernel: the kernel loads the section's BTF and creates the map
 * with the DATASEC as its value type, as libbpf does, and its own mmap and update rules answer.
 */
@RequiresKernel
class KernelVariableServiceTest extends AbstractVariableServiceTest {

    @Override
    BpfBackend newBackend(Path data) {
        return new KernelBackend();
    }
}
