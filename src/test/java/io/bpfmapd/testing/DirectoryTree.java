package io.bpfmapd.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes a test's directory and everything in it: temporary data directories, bpffs pin directories. */
public final class DirectoryTree {

    private DirectoryTree() {
    }

    /** Deletes {@code dir} with its contents, deepest first; nothing if it is null or does not exist. */
    public static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
