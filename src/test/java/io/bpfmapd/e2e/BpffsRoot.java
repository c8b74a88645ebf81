package io.bpfmapd.e2e;

import io.bpfmapd.testing.DirectoryTree;
import io.bpfmapd.backend.kernel.PinDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh directory in bpffs to use as the service's bpffs root, removed with all it holds. */
final class BpffsRoot {

    private BpffsRoot() {
    }

    /** Fails in CI (skips elsewhere) without a bpffs at /sys/fs/bpf. */
    static Path create(String name) {
        Path dir = PinDir.path(name);
        try {
            return Files.createDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unlinks every pin and symlink under {@code dir}, then the directory (children first). */
    static void remove(Path dir) {
        try {
            DirectoryTree.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] u64(long v) {
        return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static long u64(byte[] bytes) {
        return java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
