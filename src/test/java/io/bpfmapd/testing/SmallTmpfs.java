package io.bpfmapd.testing;

import java.nio.file.Path;

/**
 * A tmpfs of a few MiB mounted on a test's directory, to fill a data directory for real. Mounting
 * needs root (CAP_SYS_ADMIN): without it the {@link Requirement} fails the test under {@code CI=true} (CI
 * runs as root) and skips it elsewhere, with the reason.
 */
public final class SmallTmpfs implements AutoCloseable {

    private final Path dir;

    private SmallTmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (mount(8) syntax, e.g. {@code 4m}) on the existing {@code dir}. */
    public static SmallTmpfs mount(Path dir, String size) {
        String failure = MountCommand.run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        Requirement.require("a " + size + " tmpfs", failure == null, "cannot mount it on " + dir + " (" + failure
                + "); these tests need root, as in CI");
        return new SmallTmpfs(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Lazy unmount: files a service still maps keep their pages until it unmaps them. */
    @Override
    public void close() {
        MountCommand.run("umount", "-l", dir.toString());
    }
}
