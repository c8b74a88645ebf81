package io.bpfmapd.map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Arrays;
import java.util.Locale;

/**
 * The kinds of a {@link ValueType}: C's fixed-width integers, bool and char, arrays, structs, unions and
 * enums, and the kernel's special fields {@code struct bpf_spin_lock} and {@code struct bpf_timer}. The
 * JSON name is the constant's, lower-case.
 */
@Schema(description = "What a value type is: an integer (u8..u64 unsigned, s8..s64 signed), bool, char (a char array "
        + "with length), array, struct, union, enum, or a special field (bpf_spin_lock, bpf_timer)")
public enum ValueTypeKind {
    U8(1, false), U16(2, false), U32(4, false), U64(8, false),
    S8(1, true), S16(2, true), S32(4, true), S64(8, true),
    BOOL(1, false), CHAR(1, true),
    ARRAY(0, false), STRUCT(0, false), UNION(0, false), ENUM(0, false),
    BPF_SPIN_LOCK(0, false), BPF_TIMER(0, false);

    private final int scalarSize;
    private final boolean signed;

    ValueTypeKind(int scalarSize, boolean signed) {
        this.scalarSize = scalarSize;
        this.signed = signed;
    }

    /** An integer, bool or char: one BTF INT of {@link #scalarSize()} bytes. */
    boolean isScalar() {
        return scalarSize > 0;
    }

    int scalarSize() {
        return scalarSize;
    }

    boolean signed() {
        return signed;
    }

    /** A BTF special field of the kernel's (kernel/bpf/btf.c btf_parse_fields). */
    boolean isSpecialField() {
        return this == BPF_SPIN_LOCK || this == BPF_TIMER;
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ValueTypeKind ofJsonName(String name) {
        return Arrays.stream(values()).filter(k -> k.jsonName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown value type kind '" + name + "'; one of "
                        + Arrays.stream(values()).map(ValueTypeKind::jsonName).toList()));
    }
}
