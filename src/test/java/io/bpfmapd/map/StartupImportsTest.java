package io.bpfmapd.map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BackendUnavailableException;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.config.KernelProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupImportsTest {

    private final PinService pins = mock(PinService.class);

    @Test
    void importsEveryConfiguredPathAsAKernelMapAndNoRefusalStopsTheRest() {
        when(pins.importMap(argThat(r -> r != null && r.path().equals("agent/held"))))
                .thenThrow(new BpfException(Errno.EEXIST, PinService.OP_IMPORT, "held already"));
        when(pins.importMap(argThat(r -> r != null && r.path().equals("/sys/fs/bpf/agent/missing"))))
                .thenThrow(new BpfException(Errno.ENOENT, PinService.OP_IMPORT, "nothing there"));
        when(pins.importMap(argThat(r -> r != null && r.path().equals("agent/nobpffs"))))
                .thenThrow(new BackendUnavailableException(BackendKind.KERNEL, "no bpffs"));
        var imports = new StartupImports(pins, new KernelProperties(true, Path.of("/sys/fs/bpf"),
                List.of("agent/held", "/sys/fs/bpf/agent/missing", "agent/nobpffs", "agent/counters"), Access.READ_ONLY, List.of(),
                Duration.ofSeconds(2)));

        assertThatCode(imports::importConfigured).doesNotThrowAnyException();

        for (String path : List.of("agent/held", "/sys/fs/bpf/agent/missing", "agent/nobpffs", "agent/counters")) {
            verify(pins).importMap(new ImportMapRequest(path, null, BackendKind.KERNEL, Access.READ_ONLY));
        }
    }
}
