package io.bpfmapd.container;

import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.testing.Requirement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kernel-mode image tests pin maps on the host with bpftool: they need root, a mounted bpffs and
 * bpftool, each a {@link Requirement} (CI, root on a real kernel where .ci/run mounts bpffs, fails
 * without one; elsewhere the test skips with the reason).
 */
final class HostBpfRequirement {

    private HostBpfRequirement() {
    }

    static void require() {
        Requirement.require("root", isRoot(), "pinning maps with bpftool needs uid 0");
        PinDir.requireBpffs();
        Bpftool.require();
    }

    private static boolean isRoot() {
        try {
            return "0".equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString());
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
