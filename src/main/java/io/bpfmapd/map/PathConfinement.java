package io.bpfmapd.map;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.IoErrno;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Keeps client-supplied paths (import, pin, the emulated data directory) inside one root directory
 * and on the root's filesystem. A path is refused
 * <ul>
 *   <li>{@code EINVAL} when it is empty, holds a NUL, has a {@code ..} or {@code .} component, or is
 *       absolute and not under the root;</li>
 *   <li>{@code EXDEV} when, once symlinks are resolved, it leaves the root or lands on another
 *       filesystem (a mount inside the root, e.g. a tmpfs over {@code /sys/fs/bpf/x});</li>
 *   <li>{@code ENAMETOOLONG} when a component is longer than {@value #NAME_MAX} bytes or the whole path
 *       is {@value #PATH_MAX} bytes or more, as the kernel answers before any lookup (bpffs and ext4
 *       alike: {@code simple_lookup} in {@code fs/libfs.c}, {@code getname_flags} in {@code fs/namei.c}),
 *       so both backends refuse such a name the same way;</li>
 *   <li>{@code ENOENT} when what must exist does not, {@code EEXIST} when what must be new exists
 *       (as {@code bpf_obj_pin}, {@code kernel/bpf/inode.c}, answers for a taken name).</li>
 * </ul>
 * The checked path is returned with its directories resolved, so the caller's syscall does not
 * follow a link the check did not see. It guards against what a client sends, not against someone
 * racing renames inside the root, who could write there anyway.
 */
public final class PathConfinement {

    /** The longest name of one path component, in bytes ({@code include/uapi/linux/limits.h}). */
    static final int NAME_MAX = 255;
    /** The size of the kernel's path buffer, the terminating NUL included ({@code include/uapi/linux/limits.h}). */
    static final int PATH_MAX = 4096;

    private final Path root;
    /** The root as configured, which may differ from {@link #root} when it goes through a symlink. */
    private final Path configuredRoot;
    private final Object rootDevice;

    /**
     * @param root an existing directory; resolved to its real path once
     * @throws IllegalArgumentException if it is not an existing directory
     */
    public PathConfinement(Path root) {
        this.configuredRoot = root.toAbsolutePath().normalize();
        try {
            this.root = root.toRealPath();
            if (!Files.isDirectory(this.root)) {
                throw new IllegalArgumentException("confinement root " + root + " is not a directory");
            }
            this.rootDevice = device(this.root);
        } catch (IOException e) {
            throw new IllegalArgumentException("confinement root " + root + " is not usable: " + e, e);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * An existing entry under the root (import): every symlink resolved, the result inside the root
     * and on its filesystem.
     */
    public Path existing(String requested, String operation) {
        Path lexical = lexical(requested, operation);
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            throw new BpfException(Errno.ENOENT, operation, "nothing at " + requested);
        } catch (IOException e) {
            throw unresolvable(requested, operation, e);
        }
        confine(real, requested, operation);
        return real;
    }

    /**
     * A name to be created under the root (pin): its directory exists and resolves inside the root and
     * on its filesystem, and the name itself is not taken (a dangling symlink counts as taken).
     */
    public Path newEntry(String requested, String operation) {
        Path lexical = lexical(requested, operation);
        if (lexical.equals(root)) {
            throw new BpfException(Errno.EEXIST, operation, "the root itself cannot be a new entry");
        }
        Path parent;
        try {
            parent = lexical.getParent().toRealPath();
        } catch (NoSuchFileException e) {
            throw new BpfException(Errno.ENOENT, operation, "no directory for " + requested);
        } catch (IOException e) {
            throw unresolvable(requested, operation, e);
        }
        confine(parent, requested, operation);
        if (!Files.isDirectory(parent)) {
            throw new BpfException(Errno.ENOTDIR, operation, "the parent of " + requested + " is not a directory");
        }
        Path target = parent.resolve(lexical.getFileName());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new BpfException(Errno.EEXIST, operation, requested + " exists");
        }
        return target;
    }

    /** The requested path under the root, refused if it could mean anything else before any lookup. */
    private Path lexical(String requested, String operation) {
        if (requested == null || requested.isEmpty() || requested.indexOf('\0') >= 0) {
            throw new BpfException(Errno.EINVAL, operation, "a path must be non-empty and hold no NUL");
        }
        Path path;
        try {
            path = Path.of(requested);
        } catch (InvalidPathException e) {
            throw new BpfException(Errno.EINVAL, operation, "not a path: " + e.getReason());
        }
        for (Path name : path) {
            if (name.toString().equals("..") || name.toString().equals(".")) {
                throw new BpfException(Errno.EINVAL, operation, "'.' and '..' are not allowed in " + requested);
            }
            if (bytes(name) > NAME_MAX) {
                throw new BpfException(Errno.ENAMETOOLONG, operation, "a name in a path has at most " + NAME_MAX
                        + " bytes; one has " + bytes(name));
            }
        }
        Path resolved = !path.isAbsolute() ? root.resolve(path)
                : path.startsWith(root) ? path
                : path.startsWith(configuredRoot) ? root.resolve(configuredRoot.relativize(path))
                : path;
        if (!resolved.startsWith(root)) {
            throw new BpfException(Errno.EINVAL, operation, requested + " is not under " + root);
        }
        if (bytes(resolved) >= PATH_MAX) {
            throw new BpfException(Errno.ENAMETOOLONG, operation, "a path has fewer than " + PATH_MAX
                    + " bytes; this one, under " + root + ", has " + bytes(resolved));
        }
        return resolved;
    }

    private void confine(Path real, String requested, String operation) {
        if (!real.startsWith(root)) {
            throw new BpfException(Errno.EXDEV, operation, requested + " resolves outside " + root);
        }
        try {
            if (!rootDevice.equals(device(real))) {
                throw new BpfException(Errno.EXDEV, operation, requested + " is on another filesystem than " + root);
            }
        } catch (IOException e) {
            throw new BpfException(Errno.EINVAL, operation, "cannot stat " + requested + ": " + e.getMessage());
        }
    }

    /**
     * A path the file system cannot resolve fails with the errno the lookup met, as BPF_OBJ_GET's and
     * BPF_OBJ_PIN's own path walks (kern_path, fs/namei.c) would: ELOOP for a symlink loop, ENOTDIR for
     * a file used as a directory, EACCES for a directory it may not search; EINVAL where the JDK names none.
     */
    private static BpfException unresolvable(String requested, String operation, IOException e) {
        Errno errno = IoErrno.of(e);
        return new BpfException(errno == Errno.EUNKNOWN ? Errno.EINVAL : errno, operation,
                "cannot resolve " + requested + ": " + e.getMessage());
    }

    private static int bytes(Path path) {
        return path.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /** st_dev: one value per mounted filesystem. */
    private static Object device(Path path) throws IOException {
        return Files.getAttribute(path, "unix:dev");
    }
}
