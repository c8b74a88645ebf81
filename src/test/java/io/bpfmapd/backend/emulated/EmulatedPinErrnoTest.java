package io.bpfmapd.backend.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A pin the emulation cannot link fails with link(2)'s errno, as BPF_OBJ_PIN does with kern_path_create's. */
class EmulatedPinErrnoTest extends WithEmulatedBackend {

    @Test
    void aPinUnderARegularFileIsEnotdirAsInTheKernel() throws IOException {
        Path file = Files.writeString(dataDir.resolve("not-a-dir"), "x");
        try (BpfMap map = backend.create(new MapSpec("pin", MapType.ARRAY, 4, 8, 4, MapFlag.MMAPABLE.bit(), false))) {
            BpfException refused = catchThrowableOfType(BpfException.class, () -> map.pin(file.resolve("pin")));

            assertThat(refused.errno()).isEqualTo(Errno.ENOTDIR);
            assertThat(refused.operation()).isEqualTo(EmulatedBackend.OP_OBJ_PIN);
            assertThat(map.info().pinnedPath()).isEmpty();
        }
    }
}
