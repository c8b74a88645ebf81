package io.bpfmapd.backend.kernel.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /proc/self/fdinfo/<fd>} of a BPF object. For maps the kernel prints map_type, key_size,
 * value_size, max_entries, map_flags, map_id and {@code frozen} (kernel/bpf/syscall.c
 * bpf_map_show_fdinfo); {@code frozen} is nowhere else, not even in {@code struct bpf_map_info}.
 */
public record FdInfo(Map<String, String> fields) {

    public static FdInfo of(int fd) {
        return parse(read(Path.of("/proc/self/fdinfo/" + fd)));
    }

    static FdInfo parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return new FdInfo(Map.copyOf(fields));
    }

    /** The {@code map_type} line; absent when the fd is not a map (a program, a BTF object). */
    public Optional<Integer> mapType() {
        return Optional.ofNullable(fields.get("map_type")).map(Integer::parseInt);
    }

    public boolean frozen() {
        return "1".equals(fields.get("frozen"));
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
