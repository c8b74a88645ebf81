package io.bpfmapd.container;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kernel-mode image tests pin maps on the host with bpftool: they need root, a mounted bpffs and
 * bpftool. In CI (root, real kernel, .ci/run mounts bpffs) a missing piece fails them; elsewhere
 * they skip with the reason.
 */
final class HostBpfRequirement {

    static final Path BPFFS = Path.of("/sys/fs/bpf");

    private HostBpfRequirement() {
    }

    static void require() {
        String missing = missing();
        if (missing == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(missing + "; kernel image tests must run in CI");
        }
        assumeTrue(false, missing);
    }

    private static String missing() {
        try {
            if (!"0".equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString())) {
                return "not root: pinning maps with bpftool needs root";
            }
            boolean mounted = Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .map(line -> line.split(" "))
                    .anyMatch(fields -> fields.length > 2 && fields[1].equals(BPFFS.toString()) && fields[2].equals("bpf"));
            if (!mounted) {
                return "no bpffs at " + BPFFS + " (mount -t bpf bpf " + BPFFS + ")";
            }
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot inspect the host: " + e;
        }
        if (Bpftool.path() == null) {
            return "bpftool is not installed (Debian: apt-get install bpftool)";
        }
        return null;
    }
}
