package io.bpfmapd.backend.kernel.sys;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** sysconf(_SC_PAGESIZE) through FFM agrees with the kernel's own account of this process's pages. */
class LibcPageSizeTest {

    @Test
    void thePageSizeIsTheKernelsAsProcShowsIt() throws IOException {
        // Every mapping in smaps states "KernelPageSize: <n> kB"; the first is a regular (not huge) page.
        String line = Files.readAllLines(Path.of("/proc/self/smaps")).stream()
                .filter(l -> l.startsWith("KernelPageSize:"))
                .findFirst().orElseThrow();
        long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
        assertThat(Libc.pageSize()).isEqualTo(kib * 1024).isPositive();
        assertThat(Long.bitCount(Libc.pageSize())).isOne();
    }
}
