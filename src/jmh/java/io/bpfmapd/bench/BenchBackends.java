package io.bpfmapd.bench;

import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.backend.kernel.KernelBackend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The backends a benchmark runs against, by the name its {@code backend} parameter carries. */
public final class BenchBackends {

    public static final String KERNEL = "kernel";
    public static final String EMULATED = "emulated";

    private BenchBackends() {
    }

    /**
     * A fresh backend; an emulated one keeps its map files in a new temporary directory that
     * {@link #close} removes.
     */
    public static BpfBackend open(String kind) {
        return switch (kind) {
            case EMULATED -> new EmulatedBackend(tempDir());
            case KERNEL -> new KernelBackend();
            default -> throw new IllegalArgumentException("unknown backend " + kind);
        };
    }

    public static void close(BpfBackend backend) {
        backend.close();
        if (backend instanceof EmulatedBackend emulated) {
            deleteTree(emulated.dataDir());
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("bpfmapd-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
