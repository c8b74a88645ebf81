package io.bpfmapd.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathConfinementTest {

    @TempDir
    Path tmp;
    Path root;
    Path outside;
    PathConfinement confinement;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectory(tmp.resolve("bpffs"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.createDirectory(root.resolve("app"));
        Files.writeString(root.resolve("app/map"), "");
        Files.writeString(outside.resolve("secret"), "");
        confinement = new PathConfinement(root);
    }

    static void refused(Errno errno, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(errno));
    }

    @Test
    void aPathTheFileSystemCannotResolveFailsWithTheErrnoItsLookupMet() throws IOException {
        Files.createSymbolicLink(root.resolve("loop-a"), root.resolve("loop-b"));
        Files.createSymbolicLink(root.resolve("loop-b"), root.resolve("loop-a"));
        refused(Errno.ELOOP, () -> confinement.existing("loop-a", "import"));
        refused(Errno.ELOOP, () -> confinement.newEntry("loop-a/new", "pin"));
        refused(Errno.ENOTDIR, () -> confinement.existing("app/map/under-a-file", "import"));
        refused(Errno.ENOTDIR, () -> confinement.newEntry("app/map/under-a-file", "pin"));
    }

    @Test
    void relativeAndAbsolutePathsUnderTheRootAreAccepted() throws IOException {
        Path real = root.toRealPath();
        assertThat(confinement.existing("app/map", "import")).isEqualTo(real.resolve("app/map"));
        assertThat(confinement.existing(root.resolve("app/map").toString(), "import")).isEqualTo(real.resolve("app/map"));
        assertThat(confinement.newEntry("app/new", "pin")).isEqualTo(real.resolve("app/new"));
    }

    @Test
    void dotDotAndDotAreRefusedEvenWhenTheyWouldStayInside() {
        refused(Errno.EINVAL, () -> confinement.existing("../outside/secret", "import"));
        refused(Errno.EINVAL, () -> confinement.existing("app/../app/map", "import"));
        refused(Errno.EINVAL, () -> confinement.existing("./app/map", "import"));
        refused(Errno.EINVAL, () -> confinement.newEntry(root + "/app/../../outside/x", "pin"));
    }

    @Test
    void emptyNulAndAbsolutePathsElsewhereAreRefused() {
        refused(Errno.EINVAL, () -> confinement.existing("", "import"));
        refused(Errno.EINVAL, () -> confinement.existing("app/m\0ap", "import"));
        refused(Errno.EINVAL, () -> confinement.existing(outside.resolve("secret").toString(), "import"));
        refused(Errno.EINVAL, () -> confinement.newEntry("/etc/passwd", "pin"));
    }

    @Test
    void aSymlinkThatLeavesTheRootIsRefusedOneThatStaysIsFollowed() throws IOException {
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("file-escape"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("app"));

        refused(Errno.EXDEV, () -> confinement.existing("escape/secret", "import"));
        refused(Errno.EXDEV, () -> confinement.existing("file-escape", "import"));
        refused(Errno.EXDEV, () -> confinement.newEntry("escape/new", "pin"));
        assertThat(confinement.existing("alias/map", "import")).isEqualTo(root.toRealPath().resolve("app/map"));
        assertThat(confinement.newEntry("alias/new", "pin")).isEqualTo(root.toRealPath().resolve("app/new"));
    }

    @Test
    void aRootReachedThroughASymlinkStillConfines() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-root"), root);
        var viaLink = new PathConfinement(link);
        assertThat(viaLink.existing(link.resolve("app/map").toString(), "import")).isEqualTo(root.toRealPath().resolve("app/map"));
        refused(Errno.EINVAL, () -> viaLink.existing(outside.resolve("secret").toString(), "import"));
    }

    @Test
    void anotherFilesystemUnderTheRootIsRefused() {
        // /proc is its own filesystem under /; no symlink is involved.
        assumeThat(Path.of("/proc/version")).exists();
        var wholeTree = new PathConfinement(Path.of("/"));
        refused(Errno.EXDEV, () -> wholeTree.existing("/proc/version", "import"));
        refused(Errno.EXDEV, () -> wholeTree.newEntry("/proc/new-entry", "pin"));
    }

    @Test
    void pinRefusesTakenNamesMissingDirectoriesAndFilesAsDirectories() throws IOException {
        Files.createSymbolicLink(root.resolve("dangling"), root.resolve("nothing"));
        refused(Errno.EEXIST, () -> confinement.newEntry("app/map", "pin"));
        refused(Errno.EEXIST, () -> confinement.newEntry("dangling", "pin"));
        refused(Errno.EEXIST, () -> confinement.newEntry(root.toString(), "pin"));
        refused(Errno.ENOENT, () -> confinement.newEntry("missing/new", "pin"));
        refused(Errno.ENOTDIR, () -> confinement.newEntry("app/map/new", "pin"));
    }

    /** As the kernel answers a pin name too long, so that both backends refuse it alike (the emulation's link would say EPERM). */
    @Test
    void aNameOrPathTooLongIsEnametoolong() {
        assertThat(confinement.newEntry("app/" + "n".repeat(255), "pin")).hasFileName("n".repeat(255));
        refused(Errno.ENAMETOOLONG, () -> confinement.newEntry("app/" + "n".repeat(256), "pin"));
        refused(Errno.ENAMETOOLONG, () -> confinement.newEntry("app/" + "\u00e9".repeat(128), "pin"));
        refused(Errno.ENAMETOOLONG, () -> confinement.existing("n".repeat(300) + "/map", "import"));
        String deep = ("d".repeat(200) + "/").repeat(21);
        refused(Errno.ENAMETOOLONG, () -> confinement.newEntry(deep + "pin", "pin"));
    }

    @Test
    void importOfNothingIsEnoent() {
        refused(Errno.ENOENT, () -> confinement.existing("app/absent", "import"));
    }

    @Test
    void theRootMustBeAnExistingDirectory() {
        assertThatThrownBy(() -> new PathConfinement(tmp.resolve("absent"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PathConfinement(root.resolve("app/map"))).isInstanceOf(IllegalArgumentException.class);
    }
}
