package io.bpfmapd.export;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a view of a PERCPU_ARRAY does with the one slot per possible CPU a lookup returns
 * (bpf_percpu_array_copy): add them, take the largest, or keep each as a series with a {@code cpu} label.
 * Views of other maps have one slot and ignore it, except {@link #CPU}, which they refuse.
 */
public enum PerCpuMode {
    SUM, MAX, CPU;

    /** The label {@link #CPU} adds. */
    public static final String CPU_LABEL = "cpu";

    @JsonValue
    public String field() {
        return name().toLowerCase(Locale.ROOT);
    }
}
