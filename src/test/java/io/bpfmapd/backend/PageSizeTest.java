package io.bpfmapd.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The page size read from the auxiliary vector agrees with glibc's sysconf and with the kernel's smaps. */
class PageSizeTest {

    @Test
    void isWhatGetconfSays() throws IOException, InterruptedException {
        // getconf PAGESIZE is glibc's sysconf(_SC_PAGESIZE): the reference every C program uses.
        Process getconf = new ProcessBuilder("getconf", "PAGESIZE").redirectErrorStream(true).start();
        String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertThat(getconf.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(PageSize.machine()).isEqualTo(Long.parseLong(out));
    }

    @Test
    void isTheKernelPageSizeOfThisProcessesMappings() throws IOException {
        // Every mapping in smaps states "KernelPageSize: <n> kB"; the first is a regular (not huge) page.
        String line = Files.readAllLines(Path.of("/proc/self/smaps")).stream()
                .filter(l -> l.startsWith("KernelPageSize:"))
                .findFirst().orElseThrow();
        assertThat(PageSize.machine()).isEqualTo(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
    }

    @Test
    void readsAtPageszAmongOtherEntries() {
        assertThat(PageSize.parse(auxv(33, 0x7ffd000, 6, 65536, 0, 0))).isEqualTo(65536);
    }

    @Test
    void refusesAVectorWithoutAPowerOfTwoPageSize() {
        assertThatThrownBy(() -> PageSize.parse(auxv(33, 1, 0, 0))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PageSize.parse(auxv(6, 12288, 0, 0))).isInstanceOf(IllegalStateException.class);
    }

    private static byte[] auxv(long... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * Long.BYTES).order(ByteOrder.nativeOrder());
        for (long w : words) {
            b.putLong(w);
        }
        return b.array();
    }
}
