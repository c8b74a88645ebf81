package io.bpfmapd.map;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BackendUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The directory each backend's pins live under: import and pin paths are confined to it (relative
 * paths are taken under it, absolute ones must lie in it). For the kernel it is a bpffs, checked on
 * every use, since bpffs may be mounted after the service started.
 */
public final class PinRoots {

    /**
     * @param dir    the root directory
     * @param fsType the file system type it must be (e.g. {@code bpf}), or null for any
     */
    public record PinRoot(Path dir, String fsType) {
    }

    private final Map<BackendKind, PinRoot> roots;

    public PinRoots(Map<BackendKind, PinRoot> roots) {
        this.roots = new EnumMap<>(roots);
    }

    public Path dir(BackendKind kind) {
        return root(kind).dir();
    }

    /**
     * The confinement of {@code kind}'s pins.
     *
     * @throws BackendUnavailableException if the root is missing or not the file system it must be
     */
    PathConfinement confinement(BackendKind kind) {
        PinRoot root = root(kind);
        String problem = problem(root);
        if (problem != null) {
            throw new BackendUnavailableException(kind, problem);
        }
        return new PathConfinement(root.dir());
    }

    /** What keeps pinning from working on this root, or null when it works; for the startup log. */
    String problem(BackendKind kind) {
        PinRoot root = roots.get(kind);
        return root == null ? "no pin root is configured for it" : problem(root);
    }

    private PinRoot root(BackendKind kind) {
        PinRoot root = roots.get(kind);
        if (root == null) {
            throw new BackendUnavailableException(kind, "no pin root is configured for it");
        }
        return root;
    }

    private static String problem(PinRoot root) {
        if (!Files.isDirectory(root.dir())) {
            return "pinning and import need the directory " + root.dir() + (root.fsType() == null ? ""
                    : " on a mounted " + root.fsType() + " file system (mount -t bpf bpf " + root.dir() + ")");
        }
        if (root.fsType() == null) {
            return null;
        }
        try {
            String type = Files.getFileStore(root.dir()).type();
            return root.fsType().equals(type) ? null : "pinning and import need a " + root.fsType() + " file system at "
                    + root.dir() + ", which is " + type + " (mount -t bpf bpf " + root.dir() + ")";
        } catch (IOException e) {
            return "cannot tell the file system of " + root.dir() + ": " + e.getMessage();
        }
    }
}
