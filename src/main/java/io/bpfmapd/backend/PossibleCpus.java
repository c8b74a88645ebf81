package io.bpfmapd.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The number of possible CPUs, which sizes per-CPU values: the kernel's lookup of a PERCPU_ARRAY
 * copies {@code round_up(value_size, 8)} bytes for each of {@code num_possible_cpus()}, not the
 * online ones (kernel/bpf/arraymap.c, bpf_percpu_array_copy). libbpf reads the same file.
 */
public final class PossibleCpus {

    private static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");

    private PossibleCpus() {
    }

    /** The count from sysfs, or the JVM's processor count where sysfs is not there. */
    public static int count() {
        try {
            return parse(Files.readString(POSSIBLE).strip());
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** Parses a cpulist such as {@code 0-3,8-11} or {@code 0}. */
    static int parse(String cpulist) {
        int count = 0;
        for (String range : cpulist.split(",")) {
            int dash = range.indexOf('-');
            if (dash < 0) {
                count++;
            } else {
                count += Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
            }
        }
        return count;
    }
}
