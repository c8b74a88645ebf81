package io.bpfmapd.backend.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this JVM holds of the kernel's BPF objects: fds whose link reads {@code anon_inode:bpf-map},
 * {@code anon_inode:bpf-prog} or {@code anon_inode:btf} in /proc/self/fd, and lines of /proc/self/maps
 * backed by {@code anon_inode:bpf-map}.
 */
public record BpfResources(int bpfFds, int bpfMappings) {

    public static BpfResources snapshot() {
        return new BpfResources(countFds(), countMappings());
    }

    static int countFds() {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("anon_inode:bpf-") || target.equals("anon_inode:btf")) {
                        n++;
                    }
                } catch (IOException e) {
                    // the fd closed while we listed (the directory stream's own fd, for one)
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    static int countMappings() {
        try {
            return (int) Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> l.contains("anon_inode:bpf-map"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
