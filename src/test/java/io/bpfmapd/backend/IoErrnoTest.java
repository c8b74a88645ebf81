package io.bpfmapd.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The errno of a failed file operation, from real link(2) failures and from the JDK's strerror reasons. */
class IoErrnoTest {

    @TempDir
    Path dir;

    @Test
    void realLinkFailuresGiveLinksOwnErrno() throws IOException {
        Path target = Files.writeString(dir.resolve("target"), "x");

        assertThat(IoErrno.of(linkFailure(dir.resolve("target"), target))).isEqualTo(Errno.EEXIST);
        assertThat(IoErrno.of(linkFailure(dir.resolve("none/pin"), target))).isEqualTo(Errno.ENOENT);
        // The parent is a regular file: the JDK names no exception for it, only its reason.
        assertThat(IoErrno.of(linkFailure(target.resolve("pin"), target))).isEqualTo(Errno.ENOTDIR);
    }

    @Test
    void everyStrerrorTextNamesItsErrno() {
        assertThat(IoErrno.of(new FileSystemException("/d/pin", null, "Read-only file system"))).isEqualTo(Errno.EROFS);
        assertThat(IoErrno.of(new FileSystemException("/d/pin", null, "Disk quota exceeded"))).isEqualTo(Errno.EDQUOT);
        assertThat(IoErrno.of(new FileSystemException("/d/pin", null, "Too many links"))).isEqualTo(Errno.EMLINK);
        assertThat(IoErrno.of(new FileSystemException("/d/pin", null, "Operation not permitted"))).isEqualTo(Errno.EPERM);
        // The JDK appends to ELOOP's text.
        assertThat(IoErrno.of(new FileSystemException("/d/pin", null,
                "Too many levels of symbolic links or unable to access attributes of symbolic link"))).isEqualTo(Errno.ELOOP);
        // A channel's write reports errno as its message.
        assertThat(IoErrno.of(new IOException("No space left on device"))).isEqualTo(Errno.ENOSPC);
        assertThat(IoErrno.of(new IOException("Input/output error"))).isEqualTo(Errno.EIO);
        assertThat(IoErrno.of(new FileSystemException("/d/pin"))).isEqualTo(Errno.EUNKNOWN);
        assertThat(IoErrno.of(new IOException("Stream closed"))).isEqualTo(Errno.EUNKNOWN);
    }

    private static IOException linkFailure(Path link, Path target) {
        return catchThrowableOfType(IOException.class, () -> Files.createLink(link, target));
    }
}
