package io.bpfmapd.testing;

import java.nio.file.Path;

/**
 * A directory made read-only by a read-only bind mount of itself: creating or opening for writing
 * under it is EROFS, as on a file system mounted read-only, while the rest of its file system stays
 * writable (a lock file held open for writing elsewhere would make a remount read-only EBUSY). Needs
 * root, as {@link SmallTmpfs}: without it the {@link Requirement} fails the test under {@code CI=true}
 * and skips it elsewhere.
 */
public final class ReadOnlyBindMount implements AutoCloseable {

    private final Path dir;

    private ReadOnlyBindMount(Path dir) {
        this.dir = dir;
    }

    /** Bind-mounts the existing {@code dir} on itself, then makes that mount read-only. */
    public static ReadOnlyBindMount of(Path dir) {
        String failure = MountCommand.run("mount", "--bind", dir.toString(), dir.toString());
        if (failure == null) {
            failure = MountCommand.run("mount", "-o", "remount,bind,ro", dir.toString());
            if (failure != null) {
                MountCommand.run("umount", dir.toString());
            }
        }
        Requirement.require("a read-only bind mount", failure == null, "cannot make " + dir + " read-only ("
                + failure + "); these tests need root, as in CI");
        return new ReadOnlyBindMount(dir);
    }

    @Override
    public void close() {
        MountCommand.run("umount", "-l", dir.toString());
    }
}
