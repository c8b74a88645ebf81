package io.bpfmapd.backend.kernel;

import io.bpfmapd.testing.Requirement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Pin paths for tests: under a mounted bpffs at /sys/fs/bpf (.ci/run mounts it), unique per call. */
public final class PinDir {

    public static final Path BPFFS = Path.of("/sys/fs/bpf");

    private PinDir() {
    }

    public static Path path(String name) {
        requireBpffs();
        return BPFFS.resolve("bpfmapd_test_" + name + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime());
    }

    /** A {@link Requirement}: pinning needs a bpffs mounted at /sys/fs/bpf. */
    public static void requireBpffs() {
        Requirement.require("bpffs", mounted(), "nothing mounted at " + BPFFS + " (mount -t bpf bpf " + BPFFS + ")");
    }

    private static boolean mounted() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" "))
                    .anyMatch(fields -> fields.length > 2 && fields[1].equals(BPFFS.toString()) && fields[2].equals("bpf"));
        } catch (IOException e) {
            return false;
        }
    }
}
