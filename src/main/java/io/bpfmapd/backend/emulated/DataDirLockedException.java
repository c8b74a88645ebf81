package io.bpfmapd.backend.emulated;

import java.nio.file.Path;

/** Another instance holds the data directory: this one must not start on it. */
public final class DataDirLockedException extends IllegalStateException {

    private final Path dataDir;

    DataDirLockedException(Path dataDir, String why) {
        super("the data directory " + dataDir + " is in use by another bpfmapd instance (" + why
                + "); each instance needs its own bpfmapd.emulated.data-dir");
        this.dataDir = dataDir;
    }

    public Path dataDir() {
        return dataDir;
    }
}
