package io.bpfmapd.map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import java.util.Arrays;
import java.util.Locale;

/** How {@code GET /maps/{id}/btf} answers: the types as JSON, or as C declarations (bpftool btf dump format c). */
public enum BtfFormat {
    JSON,
    C;

    /** The {@code ?format=} name: {@code json} or {@code c}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format a {@code ?format=} asks for, {@link #JSON} when it is absent.
     *
     * @throws BpfException EINVAL for any other name, as written (no trimming, no case folding)
     */
    static BtfFormat of(String format) {
        if (format == null || format.isEmpty()) {
            return JSON;
        }
        return Arrays.stream(values()).filter(f -> f.value().equals(format)).findFirst()
                .orElseThrow(() -> new BpfException(Errno.EINVAL, "format", "unknown format '" + format
                        + "'; use json or c"));
    }
}
