package io.bpfmapd.variables;

import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import java.nio.file.Path;

/** {@link AbstractVariableServiceTest} on the emulated backend. */
class EmulatedVariableServiceTest extends AbstractVariableServiceTest {

    @Override
    BpfBackend newBackend(Path data) {
        return new EmulatedBackend(data);
    }
}
