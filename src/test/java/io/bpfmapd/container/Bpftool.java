package io.bpfmapd.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The host's bpftool, the real peer that pins maps and checks what the container did to them. */
final class Bpftool {

    private Bpftool() {
    }

    static Path path() {
        return Stream.of("/usr/sbin/bpftool", "/usr/bin/bpftool", "/sbin/bpftool").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** Runs bpftool with the arguments; returns stdout, or throws with stderr on a non-zero exit. */
    static String run(String... args) {
        var command = new ArrayList<>(List.of(path().toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Little-endian bytes of a u32 key or u64 value, as bpftool's byte arguments. */
    static String[] le(long value, int size) {
        String[] bytes = new String[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = Long.toString((value >>> (8 * i)) & 0xff);
        }
        return bytes;
    }
}
