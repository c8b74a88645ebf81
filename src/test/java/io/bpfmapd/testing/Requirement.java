package io.bpfmapd.testing;

import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The one gate for a test that needs something of the machine (the kernel backend, bpffs, bpftool,
 * Docker, busybox, wrk, ...). What is missing FAILS the test under {@code CI=true}, where .ci/run
 * installs and mounts all of it, so a missing piece there is a broken CI and not a test to skip; elsewhere
 * the test is aborted (reported as skipped) with the reason and how to get the missing piece.
 */
public final class Requirement {

    private Requirement() {
    }

    /** Whether this run is CI's: the environment variable {@code CI} is {@code true} (.ci/run sets it). */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Returns if {@code available}; otherwise fails the test in CI and aborts it elsewhere.
     *
     * @param name   what the test needs, e.g. {@code "bpftool"}
     * @param reason why it is not available here and how to make it so
     */
    public static void require(String name, boolean available, String reason) {
        require(name, available, reason, inCi());
    }

    static void require(String name, boolean available, String reason, boolean ci) {
        if (available) {
            return;
        }
        String message = name + " unavailable: " + reason;
        if (ci) {
            throw new AssertionFailedError(message + " (CI=true: every test must run in CI, none may skip)");
        }
        throw new TestAbortedException(message);
    }
}
