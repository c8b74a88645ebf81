package io.bpfmapd.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child process of the client tests (the generator, npm, tsc, node): its output, and a failure that shows it. */
record Command(List<String> argv, Path dir, Map<String, String> env) {

    Command(Path dir, String... argv) {
        this(List.of(argv), dir, Map.of());
    }

    Command withEnv(Map<String, String> more) {
        return new Command(argv, dir, more);
    }

    /** Runs to the end and returns stdout and stderr together; fails the test on a non-zero exit or a hang. */
    String run() {
        Result result = exec();
        assertThat(result.exit()).as("%s exited %d:%n%s", String.join(" ", argv), result.exit(), result.output())
                .isZero();
        return result.output();
    }

    /** @param output stdout, and stderr with it unless told apart; {@code errors} is stderr then */
    record Result(int exit, String output, String errors) {
    }

    Result exec() {
        return exec(false);
    }

    /** Runs to the end; with {@code separateErrors}, stderr (a banner, a warning) stays out of the output. */
    Result exec(boolean separateErrors) {
        try {
            Files.createDirectories(dir);
            Path log = Files.createTempFile("bpfmapd-client-cmd", ".log");
            Path err = Files.createTempFile("bpfmapd-client-cmd", ".err");
            ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile())
                    .redirectErrorStream(!separateErrors).redirectOutput(log.toFile());
            if (separateErrors) {
                builder.redirectError(err.toFile());
            }
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not finish in 10 minutes");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            String errors = Files.readString(err, StandardCharsets.UTF_8);
            Files.delete(log);
            Files.delete(err);
            return new Result(process.exitValue(), output, errors);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Whether {@code program} is on the PATH. */
    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
