package io.bpfmapd.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tmpfs of a few MiB mounted on a test's directory, to fill a data directory for real. Mounting
 * needs root (CAP_SYS_ADMIN): without it the test FAILS under {@code CI=true} (CI runs as root) and is
 * skipped elsewhere, with the reason.
 */
public final class SmallTmpfs implements AutoCloseable {

    private final Path dir;

    private SmallTmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (mount(8) syntax, e.g. {@code 4m}) on the existing {@code dir}. */
    public static SmallTmpfs mount(Path dir, String size) {
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        if (failure != null) {
            String reason = "cannot mount a " + size + " tmpfs on " + dir + " (" + failure
                    + "); these tests need root, as in CI";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + " (CI=true: the test must run)");
            }
            assumeTrue(false, reason);
        }
        return new SmallTmpfs(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Lazy unmount: files a service still maps keep their pages until it unmaps them. */
    @Override
    public void close() {
        run("umount", "-l", dir.toString());
    }

    /** @return null on success, else what went wrong */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + p.exitValue() + " " + out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
