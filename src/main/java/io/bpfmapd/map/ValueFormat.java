package io.bpfmapd.map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How value bytes appear in JSON: as a hex or base64 string, or as an array of little-endian integers
 * of one width ({@code u*} unsigned, {@code i*} two's complement).
 *
 * <p>This enum is the one list of formats. The JSON field of each ({@code "hex"}, {@code "u64"}...), the
 * {@code ?format=} values, the OpenAPI allowable values and value-field schemas ({@link ValueFieldsSchemas})
 * and the error messages are all derived from it; {@link ValueCodec} converts, and {@link TypedValues}
 * for {@link #TYPED}. A new integer width is one
 * constant here; a new string encoding is one constant and its two cases in {@link ValueCodec}.
 */
public enum ValueFormat {
    HEX(Kind.STRING, 1, "Value bytes as hex"),
    BASE64(Kind.STRING, 1, "Value bytes as base64"),
    U8(Kind.UNSIGNED, 1, "Value bytes as unsigned bytes"),
    U16(Kind.UNSIGNED, 2, "Value as a little-endian u16 array"),
    U32(Kind.UNSIGNED, 4, "Value as a little-endian u32 array"),
    U64(Kind.UNSIGNED, 8, "Value as a little-endian u64 array"),
    I64(Kind.SIGNED, 8, "Value as a little-endian i64 array"),
    TYPED(Kind.TYPED, 1, "Value as JSON shaped by the map's BTF value type: structs as objects, arrays as "
            + "arrays, char arrays as strings, enums by name, 64-bit integers as decimal strings (docs/api.md, typed values)");

    /** The format of an answer that names none; a constant for annotations. */
    public static final String DEFAULT_NAME = "hex";

    /**
     * A string of the bytes, an array of integers of {@link #width()} bytes each, or JSON shaped by the
     * map's BTF value type (io.bpfmapd.typed), which only a map with BTF has.
     */
    public enum Kind { STRING, UNSIGNED, SIGNED, TYPED }

    private final Kind kind;
    private final int width;
    private final String description;

    ValueFormat(Kind kind, int width, String description) {
        this.kind = kind;
        this.width = width;
        this.description = description;
    }

    public Kind kind() {
        return kind;
    }

    /** Bytes per array element; 1 for the string formats. */
    public int width() {
        return width;
    }

    /** What the value field holds, for the API documentation. */
    public String description() {
        return description;
    }

    /** The JSON field that carries a value in this format, and its {@code ?format=} name: {@code hex}, {@code u64}... */
    @JsonValue
    public String field() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether an element is written as a decimal string ({@code "18446744073709551615"}) rather than a JSON
     * number: the 64-bit formats. A JSON number past 2^53 loses digits in JavaScript, and a generated
     * Java client holds {@code u64} in a {@code long} that stops at 2^63−1; a string is exact everywhere
     * (docs/api.md, value formats). Requests may still give these elements as JSON integers.
     */
    public boolean decimalStrings() {
        return integers() && width == 8;
    }

    /** Whether the value is an array of integers ({@code u8} ... {@code i64}): what views and rates count. */
    public boolean integers() {
        return kind == Kind.UNSIGNED || kind == Kind.SIGNED;
    }

    /** The smallest element of an integer format. */
    public BigInteger min() {
        return kind == Kind.SIGNED ? BigInteger.ONE.shiftLeft(8 * width - 1).negate() : BigInteger.ZERO;
    }

    /** The largest element of an integer format. */
    public BigInteger max() {
        return (kind == Kind.SIGNED ? BigInteger.ONE.shiftLeft(8 * width - 1) : BigInteger.ONE.shiftLeft(8 * width))
                .subtract(BigInteger.ONE);
    }

    /** Every format's field, in declaration order: {@code hex, base64, u8, ...}. */
    public static String names() {
        return Arrays.stream(values()).map(ValueFormat::field).collect(Collectors.joining(", "));
    }

    /**
     * The format a {@code ?format=} names; none means {@value #DEFAULT_NAME}.
     *
     * @throws BpfException EINVAL for a name that is not a format
     */
    public static ValueFormat parse(String name) {
        String field = name == null || name.isBlank() ? DEFAULT_NAME : name.strip().toLowerCase(Locale.ROOT);
        return byField(field).orElseThrow(() -> new BpfException(Errno.EINVAL, "format",
                "unknown format '" + name + "'; use one of " + names()));
    }

    /** The format whose JSON field is {@code field}, if one is. */
    static Optional<ValueFormat> byField(String field) {
        return Arrays.stream(values()).filter(f -> f.field().equals(field)).findFirst();
    }
}
