package io.bpfmapd.typed;

import static io.bpfmapd.typed.TypedIntegers.describe;
import static io.bpfmapd.typed.TypedIntegers.invalid;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One BTF type compiled for reading and writing values: each kind written as bpftool's {@code formatted}
 * JSON (tools/bpf/bpftool/btf_dumper.c) with the differences docs/api.md lists (64-bit integers as
 * decimal strings, bitfields as numbers), and parsed back from the same JSON into a {@link Patcher}.
 * Offsets are bytes from the start of the value; values are little-endian ({@link TypedValue#of} refuses
 * other BTF).
 */
sealed interface Codec {

    ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Integers past 2^53 lose digits in JavaScript: wider ones are written as decimal strings. */
    int EXACT_NUMBER_BITS = 53;

    void write(JsonGenerator out, MemorySegment s, long offset);

    /**
     * Sets the bytes {@code json} names at {@code offset}.
     *
     * @return whether the JSON gave the whole value (every member of a struct, recursively), so that its
     *         padding may be set too (to 0), as C's initializer of every member does
     */
    boolean parse(JsonNode json, Patcher p, long offset, String path);

    /** The {@code width} bytes at {@code offset} as an unsigned integer (zero-extended). */
    static long unsigned(MemorySegment s, long offset, int width) {
        return switch (width) {
            case 1 -> s.get(ValueLayout.JAVA_BYTE, offset) & 0xFFL;
            case 2 -> s.get(U16, offset) & 0xFFFFL;
            case 4 -> s.get(U32, offset) & 0xFFFF_FFFFL;
            case 8 -> s.get(U64, offset);
            default -> throw new IllegalArgumentException("an integer of " + width + " bytes");
        };
    }

    /** The {@code width} bytes at {@code offset} as a signed integer (sign-extended). */
    static long signed(MemorySegment s, long offset, int width) {
        int unused = 64 - 8 * width;
        return unsigned(s, offset, width) << unused >> unused;
    }

    /** Little-endian bytes as an unsigned integer of any width. */
    static BigInteger unsignedBig(MemorySegment s, long offset, int width) {
        byte[] be = new byte[width + 1];
        for (int i = 0; i < width; i++) {
            be[width - i] = s.get(ValueLayout.JAVA_BYTE, offset + i);
        }
        return new BigInteger(be);
    }

    /** A 64-bit integer as a decimal string (docs/api.md, value formats), any narrower one as a number. */
    static void writeInteger(JsonGenerator out, long v, boolean unsigned, int bits) {
        if (bits > EXACT_NUMBER_BITS) {
            out.writeString(unsigned ? Long.toUnsignedString(v) : Long.toString(v));
        } else {
            out.writeNumber(v);
        }
    }

    /** An INT of 1, 2, 4 or 8 bytes whose encoding is none or SIGNED (btf_dumper_int's %hhu ... %lld). */
    record Int(int width, boolean signed) implements Codec {
        public void write(JsonGenerator out, MemorySegment s, long offset) {
            writeInteger(out, signed ? Codec.signed(s, offset, width) : unsigned(s, offset, width), !signed, 8 * width);
        }

        public boolean parse(JsonNode json, Patcher p, long offset, String path) {
            BigInteger v = TypedIntegers.parse(json, path, TypedIntegers.min(8 * width, signed),
                    TypedIntegers.max(8 * width, signed));
            p.setLong(offset, width, v.longValue());
            return true;
        }
    }

    /**
     * An INT of encoding CHAR: bpftool prints {@code "%c"} when printable and a backslash-u escape of the byte when not,
     * so either way a string of the one character whose code is the byte. Writes take that string or a
     * number in [−128, 255].
     */
    record Char() implements Codec {
        public void write(JsonGenerator out, MemorySegment s, long offset) {
            out.writeString(String.valueOf((char) (s.get(ValueLayout.JAVA_BYTE, offset) & 0xFF)));
        }

        public boolean parse(JsonNode json, Patcher p, long offset, String path) {
            if (json.isString()) {
                String c = json.stringValue();
                if (c.length() != 1 || c.charAt(0) > 0xFF) {
                    throw invalid(path, describe(json) + " is not one character of code 0 to 255");
                }
                p.setLong(offset, 1, c.charAt(0));
                return true;
            }
            p.setLong(offset, 1, TypedIntegers.parse(json, path, BigInteger.valueOf(-128), BigInteger.valueOf(255)).longValue());
            return true;
        }
    }

    /**
     * An INT of encoding BOOL: true when any of its bytes is not 0. (bpftool reads an {@code int} here
     * whatever the size, so it also sees the three bytes after a one-byte bool; the kernel's
     * btf_show reads the bool's own size, as this does.)
     */
    record Bool(int width) implements Codec {
        public void write(JsonGenerator out, MemorySegment s, long offset) {
            boolean set = false;
            for (int i = 0; i < width && !set; i++) {
                set = s.get(ValueLayout.JAVA_BYTE, offset + i) != 0;
            }
            out.writeBoolean(set);
        }

        public boolean parse(JsonNode json, Patcher p, long offset, String path) {
            if (!json.isBoolean()) {
                throw invalid(path, describe(json) + " is not a boolean");
            }
            p.setLong(offset, width, json.booleanValue() ? 1 : 0);
            return true;
        }
    }

    /**
     * An INT of 16 bytes, or any INT whose bits are not a whole 1, 2, 4 or 8 bytes at bit 0: a bitfield.
     * bpftool prints these as a hex string; this writes the number (a decimal string past 53 bits).
     * {@code shift} counts bits from {@code offset}. A signed bitfield reads sign-extended, as C reads it
     * ({@code int f:3} holding 0b101 is -3), so what a write gives is what a read returns; bpftool and the
     * kernel's btf_bitfield_show print the raw bits unsigned. Writes take either.
     */
    record Bits(int shift, int bits, boolean signed) implements Codec {
        public void write(JsonGenerator out, MemorySegment s, long offset) {
            long at = offset + (shift >>> 3);
            int low = shift & 7;
            int width = (low + bits + 7) >>> 3;
            if (width <= 8 && low + bits <= 64) {
                long raw = width == 8 ? s.get(U64, at) : unsignedNarrow(s, at, width);
                long v = (raw >>> low) & (bits == 64 ? -1L : (1L << bits) - 1);
                if (signed && bits < 64) {
                    v = (v << (64 - bits)) >> (64 - bits);
                }
                writeInteger(out, v, !signed, bits);
            } else {
                BigInteger v = unsignedBig(s, at, width).shiftRight(low)
                        .and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
                if (signed && v.testBit(bits - 1)) {
                    v = v.subtract(BigInteger.ONE.shiftLeft(bits));
                }
                if (bits > EXACT_NUMBER_BITS) {
                    out.writeString(v.toString());
                } else {
                    out.writeNumber(v);
                }
            }
        }

        private static long unsignedNarrow(MemorySegment s, long offset, int width) {
            long v = 0;
            for (int i = width - 1; i >= 0; i--) {
                v = (v << 8) | (s.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF);
            }
            return v;
        }

        public boolean parse(JsonNode json, Patcher p, long offset, String path) {
            BigInteger min = TypedIntegers.min(bits, signed);
            BigInteger v = TypedIntegers.parse(json, path, min, TypedIntegers.max(bits, false));
            p.setBits(offset, shift, bits, v);
            return true;
        }
    }

    /** ENUM and ENUM64: the name of the value, or the number when no name matches (btf_dumper_enum). */
    record Enumeration(int width, boolean signed, long[] values, String[] names, Map<String, Long> byName)
            implements Codec {
        public void write(JsonGenerator out, MemorySegment s, long offset) {
            long raw = unsigned(s, offset, width);
            long widthMask = width == 8 ? -1L : (1L << (8 * width)) - 1;
            for (int i = 0; i < values.length; i++) {
                // compared in the enum's own width: bpftool sign-extends a 1- or 2-byte value and then
                // misses a name whose value is above 127 or 32767; this does not
                if ((values[i] & widthMask) == raw) {
                    out.writeString(names[i]);
                    return;
                }
            }
            writeInteger(out, signed ? Codec.signed(s, offset, width) : raw, !signed, 8 * width);
        }

        public boolean parse(JsonNode json, Patcher p, long offset, String path) {
            if (json.isString()) {
                Long v = byName.get(json.stringValue());
                if (v != null) {
                    p.setLong(offset, width, v);
                    return true;
                }
                if (!json.stringValue().matches("-?(0[xX][0-9a-fA-F]+|[0-9]+)")) {
                    throw invalid(path, describe(json) + " is not a name of this enum (" + String.join(", ", names) + ")");
                }
            }
            // a C enum takes any integer of its width, signed or not
            BigInteger v = TypedIntegers.parse(json, path, TypedIntegers.min(8 * width, true), TypedIntegers.max(8 * width, false));
            p.setLong(offset, width, v.longValue());
            return true;
        }
    }

    /** A PTR: the address as an unsigned integer of the target's pointer size (bpftool's {@code %lu}). */
    record Pointer(int width) implements Codec {
        public void write(JsonGenerator out, MemorySegment s, long offset) {
            writeInteger(out, unsigned(s, offset, width), true, 8 * width);
        }

        public boolean parse(JsonNode json, Patcher p, long offset, String path) {
            BigInteger v = TypedIntegers.parse(json, path, BigInteger.ZERO, TypedIntegers.max(8 * width, false));
            p.setLong(offset, width, v.longValue());
            return true;
        }
    }

    /**
     * A 16-byte INT (and any other integer too wide for a long): bpftool's {@code "0x…"} string
     * (btf_int128_print). Writes take that, a decimal string or a number.
     */
    record Wide(int width, boolean signed) implements Codec {
        public void write(JsonGenerator out, MemorySegment s, long offset) {
            out.writeString("0x" + unsignedBig(s, offset, width).toString(16));
        }

        public boolean parse(JsonNode json, Patcher p, long offset, String path) {
            p.setBig(offset, width, TypedIntegers.parse(json, path, TypedIntegers.min(8 * width, true),
                    TypedIntegers.max(8 * width, false)));
            return true;
        }
    }

    /**
     * A FLOAT of 4 or 8 bytes as a JSON number (NaN and infinities as the strings Java spells them).
     * bpftool prints "(unsupported-kind" here; the kernel's btf_show prints the bytes. Other sizes (long
     * double) are written as hex of their bytes and cannot be written.
     */
    record Float(int width) implements Codec {
        public void write(JsonGenerator out, MemorySegment s, long offset) {
            double v = switch (width) {
                case 4 -> java.lang.Float.intBitsToFloat(s.get(U32, offset));
                case 8 -> Double.longBitsToDouble(s.get(U64, offset));
                default -> Double.NaN;
            };
            if (width != 4 && width != 8) {
                out.writeString("0x" + unsignedBig(s, offset, width).toString(16));
            } else if (Double.isFinite(v)) {
                if (width == 4) {
                    out.writeNumber((float) v);
                } else {
                    out.writeNumber(v);
                }
            } else {
                out.writeString(Double.toString(v));
            }
        }

        public boolean parse(JsonNode json, Patcher p, long offset, String path) {
            if (width != 4 && width != 8) {
                throw invalid(path, "a float of " + width + " bytes cannot be written as JSON");
            }
            double v;
            if (json.isNumber()) {
                v = json.doubleValue();
            } else if (json.isString() && json.stringValue().matches("-?Infinity|NaN")) {
                v = Double.parseDouble(json.stringValue());
            } else {
                throw invalid(path, describe(json) + " is not a number");
            }
            p.setLong(offset, width, width == 4 ? java.lang.Float.floatToRawIntBits((float) v) : Double.doubleToRawLongBits(v));
            return true;
        }
    }

    /**
     * An ARRAY: a JSON array of its elements, or a string when the element is a char (a
     * {@code char}-named or CHAR-encoded one-byte INT under const/volatile, not a typedef) and the bytes
     * are printable ASCII up to a NUL (is_str_array in btf_dumper.c). A string written sets the whole
     * array: its UTF-8 bytes, then zeros; it must leave room for the NUL.
     */
    record Array(Codec element, long elementSize, long count, boolean chars) implements Codec {
        public void write(JsonGenerator out, MemorySegment s, long offset) {
            if (chars) {
                int length = printableString(s, offset);
                if (length >= 0) {
                    byte[] text = new byte[length];
                    MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset, text, 0, length);
                    out.writeString(new String(text, StandardCharsets.US_ASCII));
                    return;
                }
            }
            out.writeStartArray();
            for (long i = 0; i < count; i++) {
                element.write(out, s, offset + i * elementSize);
            }
            out.writeEndArray();
        }

        /** The length up to the NUL, or −1 when a byte before it is not printable or there is no NUL. */
        private int printableString(MemorySegment s, long offset) {
            for (int i = 0; i < count; i++) {
                byte b = s.get(ValueLayout.JAVA_BYTE, offset + i);
                if (b == 0) {
                    return i;
                }
                if (b <= 0x1f || b >= 0x7f) {
                    return -1;
                }
            }
            return -1;
        }

        public boolean parse(JsonNode json, Patcher p, long offset, String path) {
            if (chars && json.isString()) {
                byte[] text = json.stringValue().getBytes(StandardCharsets.UTF_8);
                if (text.length >= count) {
                    throw invalid(path, "the string is too long: " + text.length + " bytes in a char[" + count
                            + "], which holds at most " + (count - 1) + " and the NUL");
                }
                p.setBytes(offset, text, (int) count);
                return true;
            }
            if (!json.isArray()) {
                throw invalid(path, describe(json) + " is not an array" + (chars ? " or a string" : ""));
            }
            if (json.size() != count) {
                throw invalid(path, "an array of " + json.size() + " elements for " + count);
            }
            boolean whole = true;
            for (int i = 0; i < count; i++) {
                whole &= element.parse(json.get(i), p, offset + i * elementSize, path + "[" + i + "]");
            }
            return whole;
        }
    }

    /**
     * A member of a STRUCT or UNION at byte {@code offset} of it, {@code size} bytes (0 for a bitfield);
     * {@code name} "" when anonymous.
     */
    record Member(String name, long offset, long size, Codec codec) {
    }

    /**
     * A STRUCT or UNION: an object of its members in order, an anonymous struct or union member's fields
     * inlined, as C names them ({@code v.x} for {@code struct { int x; };}). bpftool writes such a member
     * under the name "" instead, so a struct with two has the key "" twice, and a JSON reader keeps one of
     * them (Jackson and JavaScript's JSON.parse the last): the fields of the others are lost. C gives the
     * inlined names no clash (C11 6.7.2.1: they are members of the outer struct). Writes may name any
     * members and inlined fields, or "" when there is one anonymous member.
     */
    record Composite(String kind, boolean union, long size, List<Member> members, Map<String, Member> byName,
                     List<Member> anonymous) implements Codec {
        public void write(JsonGenerator out, MemorySegment s, long offset) {
            out.writeStartObject();
            writeMembers(out, s, offset);
            out.writeEndObject();
        }

        private void writeMembers(JsonGenerator out, MemorySegment s, long offset) {
            for (Member m : members) {
                if (m.name().isEmpty() && m.codec() instanceof Composite inner) {
                    inner.writeMembers(out, s, offset + m.offset());
                    continue;
                }
                out.writeName(m.name());
                m.codec().write(out, s, offset + m.offset());
            }
        }

        public boolean parse(JsonNode json, Patcher p, long offset, String path) {
            if (!json.isObject()) {
                throw invalid(path, describe(json) + " is not an object (a " + kind + ")");
            }
            // the members given whole; the struct is whole when all are, a union when one as big as it is
            Set<Member> whole = new HashSet<>();
            Map<Member, ObjectNode> inlined = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : json.properties()) {
                String name = field.getKey();
                String at = path + "." + name;
                if (name.isEmpty()) {
                    if (anonymous.size() != 1) {
                        throw invalid(at, "the " + kind + " has " + anonymous.size()
                                + " anonymous members; name their fields instead");
                    }
                    Member m = anonymous.getFirst();
                    if (set(m, field.getValue(), p, offset, at)) {
                        whole.add(m);
                    }
                } else if (byName.containsKey(name)) {
                    Member m = byName.get(name);
                    if (set(m, field.getValue(), p, offset, at)) {
                        whole.add(m);
                    }
                } else {
                    Member a = anonymousWith(name);
                    if (a == null) {
                        throw invalid(at, "unknown field; the " + kind + " has " + String.join(", ", names()));
                    }
                    inlined.computeIfAbsent(a, k -> JsonNodeFactory.instance.objectNode()).set(name, field.getValue());
                }
            }
            // an anonymous member's fields, named inline as they are read: the member is whole when they all are
            for (Map.Entry<Member, ObjectNode> e : inlined.entrySet()) {
                if (set(e.getKey(), e.getValue(), p, offset, path)) {
                    whole.add(e.getKey());
                }
            }
            boolean given = union ? whole.stream().anyMatch(m -> m.size() == size) : whole.size() == members.size();
            if (given) {
                p.claim(offset, size);
            }
            return given;
        }

        private static boolean set(Member m, JsonNode value, Patcher p, long offset, String path) {
            if (value.isNull()) {
                throw invalid(path, "null is not a value; leave the field out to keep it");
            }
            return m.codec().parse(value, p, offset + m.offset(), path);
        }

        /** The anonymous member that has a field {@code name}, as C lets one name it (at any depth); null if none. */
        private Member anonymousWith(String name) {
            for (Member a : anonymous) {
                if (a.codec() instanceof Composite inner && (inner.byName.containsKey(name) || inner.anonymousWith(name) != null)) {
                    return a;
                }
            }
            return null;
        }

        private List<String> names() {
            return members.stream().map(m -> m.name().isEmpty() ? "\"\"" : m.name()).toList();
        }
    }

    /** A VAR: {@code {"name": value}} (btf_dumper_var). */
    record Var(String name, Codec codec) implements Codec {
        public void write(JsonGenerator out, MemorySegment s, long offset) {
            out.writeStartObject();
            out.writeName(name);
            codec.write(out, s, offset);
            out.writeEndObject();
        }

        public boolean parse(JsonNode json, Patcher p, long offset, String path) {
            if (!json.isObject() || json.size() != 1 || !json.has(name)) {
                throw invalid(path, describe(json) + " is not {\"" + name + "\": value}");
            }
            return codec.parse(json.get(name), p, offset, path + "." + name);
        }
    }

    /** A variable of a DATASEC at byte {@code offset} of the section. */
    record Variable(long offset, Var var) {
    }

    /**
     * A DATASEC: {@code {"<section>": [{"var": value}, ...]}} (btf_dumper_datasec). Writes take that shape
     * with any of the variables in any order, or the plain object {@code {"var": value, ...}}.
     */
    record Datasec(String name, long size, List<Variable> vars, Map<String, Variable> byName) implements Codec {
        public void write(JsonGenerator out, MemorySegment s, long offset) {
            out.writeStartObject();
            out.writeName(name);
            out.writeStartArray();
            for (Variable v : vars) {
                v.var().write(out, s, offset + v.offset());
            }
            out.writeEndArray();
            out.writeEndObject();
        }

        public boolean parse(JsonNode json, Patcher p, long offset, String path) {
            if (!json.isObject()) {
                throw invalid(path, describe(json) + " is not an object (the section " + name + ")");
            }
            if (json.size() == 1 && json.has(name)) {
                JsonNode list = json.get(name);
                String at = path + "[\"" + name + "\"]";
                if (!list.isArray()) {
                    throw invalid(at, describe(list) + " is not an array of {\"variable\": value}");
                }
                Set<Variable> whole = new HashSet<>();
                for (int i = 0; i < list.size(); i++) {
                    JsonNode one = list.get(i);
                    if (!one.isObject() || one.size() != 1) {
                        throw invalid(at + "[" + i + "]", describe(one) + " is not {\"variable\": value}");
                    }
                    set(one.properties().iterator().next(), p, offset, path, whole);
                }
                return whole(whole, p, offset);
            }
            Set<Variable> whole = new HashSet<>();
            for (Map.Entry<String, JsonNode> field : json.properties()) {
                set(field, p, offset, path, whole);
            }
            return whole(whole, p, offset);
        }

        private boolean whole(Set<Variable> whole, Patcher p, long offset) {
            if (whole.size() != vars.size()) {
                return false;
            }
            p.claim(offset, size);
            return true;
        }

        private void set(Map.Entry<String, JsonNode> field, Patcher p, long offset, String path, Set<Variable> whole) {
            String at = path + "." + field.getKey();
            Variable v = byName.get(field.getKey());
            if (v == null) {
                throw invalid(at, "unknown variable; the section " + name + " has "
                        + String.join(", ", vars.stream().map(x -> x.var().name()).toList()));
            }
            if (field.getValue().isNull()) {
                throw invalid(at, "null is not a value; leave the variable out to keep it");
            }
            if (v.var().codec().parse(field.getValue(), p, offset + v.offset(), at)) {
                whole.add(v);
            }
        }
    }
}
