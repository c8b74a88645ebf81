package io.bpfmapd.map;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher over the emulation's pin directory. The "agent" is the same backend (a second one may not
 * open the data directory): a handle that creates, pins and closes, as an agent that exits would.
 */
class EmulatedPinWatcherTest extends PinWatcherContract {

    @TempDir
    Path data;

    @Override
    PinSide side() {
        return PinSide.emulated(data);
    }

    @Override
    void agentPins(Path path, int index, long value) {
        try (BpfMap agent = backend.create(new MapSpec("agent", MapType.ARRAY, 4, 8, 4, 0, false))) {
            agent.update(index, u64(value), UpdateFlag.ANY);
            agent.pin(path);
        }
    }
}
