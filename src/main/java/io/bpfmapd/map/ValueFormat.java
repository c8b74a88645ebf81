package io.bpfmapd.map;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How value bytes appear in JSON: as a hex or base64 string, or as an array of little-endian
 * integers of one width ({@code u64} is unsigned, {@code i64} two's complement).
 */
public enum ValueFormat {
    HEX(1),
    BASE64(1),
    U8(1),
    U16(2),
    U32(4),
    U64(8),
    I64(8);

    /** The names clients write, in the order the documentation lists them. */
    public static final String NAMES = "hex, base64, u8, u16, u32, u64, i64";

    private final int width;

    ValueFormat(int width) {
        this.width = width;
    }

    /** Bytes per array element; 1 for the string formats. */
    public int width() {
        return width;
    }

    /** The JSON field that carries a value in this format: {@code hex}, {@code u64}... */
    public String field() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws BpfException EINVAL for a name that is not a format
     */
    public static ValueFormat parse(String name) {
        if (name == null || name.isBlank()) {
            return HEX;
        }
        return Arrays.stream(values())
                .filter(f -> f.field().equals(name.strip().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new BpfException(Errno.EINVAL, "format",
                        "unknown format '" + name + "'; use one of " + Arrays.stream(values())
                                .map(ValueFormat::field).collect(Collectors.joining(", "))));
    }
}
