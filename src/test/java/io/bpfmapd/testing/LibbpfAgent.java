package io.bpfmapd.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real eBPF agent for tests: the BPF C program {@code src/test/bpf/<name>.bpf.c}, compiled with clang
 * ({@code -O2 -g -target bpf}, so it carries BTF as any CO-RE agent's does) and loaded by
 * {@code src/test/bpf/loader.c}, a libbpf program compiled with the host's cc. The loader attaches every
 * program by its section name, pins every map (its global-variable maps {@code .bss}, {@code .data},
 * {@code .rodata} included) under a directory and runs until {@link #close()}; libbpf names a
 * variable map's pin {@code selftest_bss}: see {@link #pin(String)}.
 *
 * <p>A {@link Requirement}: clang, cc and libbpf's headers (Debian: clang, gcc, libbpf-dev) must be
 * installed, and loading needs root; CI installs them (.ci/run).
 */
public final class LibbpfAgent implements AutoCloseable {

    private static final Path SOURCES = Path.of("src/test/bpf");
    private static final Path BUILD = Path.of("target/bpf");
    private static final String LIBBPF_HEADER = "/usr/include/bpf/libbpf.h";

    private final Process process;
    private final Path pinDir;
    private final StringBuilder stderr = new StringBuilder();

    private LibbpfAgent(Process process, Path pinDir) {
        this.process = process;
        this.pinDir = pinDir;
    }

    /** Fails the test in CI, skips it elsewhere, when clang, cc or libbpf-dev is missing. */
    public static void require() {
        Requirement.require("libbpf agent toolchain", onPath("clang") && onPath("cc") && Files.exists(Path.of(LIBBPF_HEADER)),
                "needs clang, cc and libbpf's headers (Debian: apt-get install clang gcc libbpf-dev)");
        Requirement.require("root", "root".equals(System.getProperty("user.name")),
                "loading BPF programs needs root (CAP_BPF and CAP_PERFMON)");
    }

    /**
     * Compiles {@code src/test/bpf/<name>.bpf.c} (once per build), loads it and waits until its maps are
     * pinned under {@code pinDir} (which must be on a bpffs and exist).
     */
    public static LibbpfAgent start(String name, Path pinDir) {
        require();
        Path object = compile(name);
        try {
            Process p = new ProcessBuilder(loader().toString(), object.toString(), pinDir.toString()).start();
            LibbpfAgent agent = new LibbpfAgent(p, pinDir);
            agent.awaitReady(name);
            return agent;
        } catch (IOException e) {
            return fail("cannot start the libbpf loader: " + e);
        }
    }

    /**
     * The pin of a map of the object: a map defined in the program by its name ({@code "counts"}), a
     * global-variable section by its section name ({@code ".bss"}, {@code ".data.custom"}), which libbpf
     * names {@code <object name's first 8 characters>.bss} (a custom {@code .data.*} section keeps its own
     * name) and pins with the dots made underscores: {@code selftest_bss}, {@code _data_custom}.
     */
    public Path pin(String map) {
        try (var entries = Files.list(pinDir)) {
            String wanted = map.startsWith(".") ? map.substring(1).replace('.', '_') : map;
            List<Path> found = entries.filter(p -> {
                String f = p.getFileName().toString();
                return map.startsWith(".") ? f.endsWith("_" + wanted) : f.equals(wanted);
            }).toList();
            if (found.size() != 1) {
                fail("map " + map + ": pins " + found + " under " + pinDir);
            }
            return found.getFirst();
        } catch (IOException e) {
            return fail("cannot list " + pinDir + ": " + e);
        }
    }

    /** Every pin the agent made. */
    public List<Path> pins() {
        try (var entries = Files.list(pinDir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            return fail("cannot list " + pinDir + ": " + e);
        }
    }

    /** Whether the agent is still running (a test can assert that it did not die). */
    public boolean alive() {
        return process.isAlive();
    }

    /** Stops the agent: its stdin closes, it unpins its maps, detaches its programs and exits. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the libbpf agent did not stop in 10 s");
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(String name) {
        // Own threads, not the common pool: with one core's worth of parallelism it would run the
        // stderr drain and never the stdout read.
        Thread.ofVirtual().name("libbpf-agent-stderr").start(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofVirtual().name("libbpf-agent-stdout").start(() -> {
            try {
                ready.complete(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine());
            } catch (IOException e) {
                ready.complete(null);
            }
        });
        try {
            String line = ready.get(30, TimeUnit.SECONDS);
            if (!"ready".equals(line)) {
                process.waitFor(5, TimeUnit.SECONDS);
                synchronized (stderr) {
                    fail("the libbpf agent " + name + " did not start: " + stderr);
                }
            }
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            fail("the libbpf agent " + name + " was not ready in 30 s: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    private static synchronized Path compile(String name) {
        Path source = SOURCES.resolve(name + ".bpf.c");
        Path object = BUILD.resolve(name + ".bpf.o");
        run(object, source, "clang", "-O2", "-g", "-target", "bpf", "-Wall", "-Werror",
                "-I/usr/include/" + multiarch(), "-c", source.toString(), "-o", object.toString());
        return object;
    }

    private static synchronized Path loader() {
        Path source = SOURCES.resolve("loader.c");
        Path binary = BUILD.resolve("libbpf-loader");
        run(binary, source, "cc", "-O2", "-Wall", "-Werror", source.toString(), "-o", binary.toString(), "-lbpf");
        return binary;
    }

    /** Runs a compiler unless {@code output} is newer than {@code source}. */
    private static void run(Path output, Path source, String... command) {
        try {
            if (Files.exists(output) && Files.getLastModifiedTime(output).compareTo(Files.getLastModifiedTime(source)) > 0) {
                return;
            }
            Files.createDirectories(output.getParent());
            Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (IOException e) {
            fail("cannot run " + command[0] + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** The Debian multiarch include directory that holds {@code asm/types.h} for the BPF target. */
    private static String multiarch() {
        return switch (System.getProperty("os.arch")) {
            case "aarch64" -> "aarch64-linux-gnu";
            default -> "x86_64-linux-gnu";
        };
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
