package io.bpfmapd.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The fixture itself: src/test/bpf/selftest.bpf.c, loaded by libbpf, pins its variable maps and counts
 * this JVM's syscalls once the test tells it this JVM's tgid, and stops cleanly, unpinning.
 */
@RequiresKernel
class LibbpfAgentTest {

    @Test
    void aLoadedAgentPinsItsVariablesAndCountsThisProcessesSyscallsOnceTargeted() throws Exception {
        Bpftool.require();
        Path dir = Files.createDirectories(PinDir.path("libbpf_agent"));
        try (LibbpfAgent agent = LibbpfAgent.start("selftest", dir)) {
            assertThat(agent.pins()).extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder("selftest_bss", "selftest_data", "_data_target");
            assertThat(Bpftool.lookup(agent.pin(".data"), 0)).containsExactly(7, 0, 0, 0, 0, 0, 0, 0);
            assertThat(counted(agent)).isZero();

            int tgid = (int) ProcessHandle.current().pid();
            Bpftool.update(agent.pin(".data.target"), 0, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(tgid).array());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                Files.exists(dir); // a syscall of this process
                return counted(agent) > 0;
            });
            assertThat(Bpftool.lookup(agent.pin(".bss"), 0)[8]).as("seen_setting").isEqualTo((byte) 7);
            assertThat(agent.alive()).isTrue();
        }
        try (var left = Files.list(dir)) {
            assertThat(left).as("unpinned at close").isEmpty();
        }
        Files.delete(dir);
    }

    private static long counted(LibbpfAgent agent) {
        return ByteBuffer.wrap(Bpftool.lookup(agent.pin(".bss"), 0)).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }
}
