package io.bpfmapd.backend.kernel;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Pin paths for tests: under a mounted bpffs at /sys/fs/bpf (.ci/run mounts it), unique per call. */
public final class PinDir {

    public static final Path BPFFS = Path.of("/sys/fs/bpf");

    private PinDir() {
    }

    public static Path path(String name) {
        requireBpffs();
        return BPFFS.resolve("bpfmapd_test_" + name + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime());
    }

    /** bpffs is needed for pinning: fail in CI without it, skip elsewhere, like {@link RequiresKernel}. */
    public static void requireBpffs() {
        boolean mounted;
        try {
            mounted = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .anyMatch(l -> l.split(" ").length > 2 && l.split(" ")[1].equals(BPFFS.toString()) && l.split(" ")[2].equals("bpf"));
        } catch (java.io.IOException e) {
            mounted = false;
        }
        String why = "no bpffs mounted at " + BPFFS + " (mount -t bpf bpf " + BPFFS + ")";
        if (!mounted && KernelAvailableExtension.inCi()) {
            fail(why);
        }
        assumeTrue(mounted, why);
    }
}
