package io.bpfmapd.map;

import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfType;
import io.bpfmapd.btf.BtfType.IntEncoding;
import io.bpfmapd.btf.BtfWriter;
import io.bpfmapd.map.ValueType.ValueTypeEnumerator;
import io.bpfmapd.map.ValueType.ValueTypeField;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lays out a {@link ValueType} as a C compiler does for the BPF target and writes the BTF of it, the
 * way clang would describe the same declaration: integers are BTF INTs named as C names them
 * ({@code unsigned long long}, {@code char}, {@code _Bool}), each member at its natural alignment, a
 * struct padded to a multiple of its largest member's alignment. The special fields are the kernel's own
 * declarations (include/uapi/linux/bpf.h): {@code struct bpf_spin_lock { __u32 val; }} and
 * {@code struct bpf_timer { __u64 __opaque[2]; }}, which kernel/bpf/btf.c finds by name and size.
 *
 * <p>The key type is {@code unsigned int}, the {@code __u32} libbpf programs declare for an array key
 * (array_map_check_btf wants a 32-bit INT). A special field may only be a member of the value struct
 * itself: the kernel also looks into nested structs and one-element arrays, but drops special fields
 * it finds twice or in an array of two, silently, which no client could predict from the type.
 */
final class ValueTypeBtf {

    static final String ROOT = "valueType";
    /** Nesting deeper than this is refused: bounded work and stack for any request. */
    static final int MAX_DEPTH = 32;
    /** More BTF types than this is refused (a struct's vlen is 16 bits; the whole blob stays small). */
    static final int MAX_TYPES = 10_000;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** The value's BTF and its size in bytes. */
    record Built(MapBtf btf, long size) {
    }

    private final List<BtfType> types = new ArrayList<>();
    private final Map<String, Integer> ints = new HashMap<>();
    private final Map<ValueTypeKind, Integer> special = new HashMap<>();
    private final int keyTypeId;

    /** A laid-out type: its BTF id, size and alignment. */
    private record Laid(int id, long size, int align) {
    }

    private ValueTypeBtf() {
        types.add(new BtfType.Void());
        keyTypeId = integer("unsigned int", 4, IntEncoding.NONE);
    }

    /**
     * @throws InvalidValueTypeException for a description that is not one, naming the member's path
     */
    static Built build(ValueType valueType) {
        ValueTypeBtf b = new ValueTypeBtf();
        if (valueType == null) {
            throw new InvalidValueTypeException(ROOT, "must not be null");
        }
        Laid value = b.lay(valueType, ROOT, 0, true);
        byte[] blob = BtfWriter.write(b.types, ByteOrder.nativeOrder());
        // Our own reader checks the blob against the kernel's rules: a failure here is a bug of this class.
        Btf parsed = Btf.parse(blob);
        if (parsed.sizeOf(value.id()) != value.size()) {
            throw new IllegalStateException("laid out " + value.size() + " bytes, BTF says " + parsed.sizeOf(value.id()));
        }
        return new Built(new MapBtf(blob, 0, b.keyTypeId, value.id()), value.size());
    }

    private Laid lay(ValueType t, String path, int depth, boolean valueStruct) {
        if (t == null) {
            throw new InvalidValueTypeException(path, "must not be null");
        }
        if (t.kind() == null) {
            throw new InvalidValueTypeException(path + ".kind", "must not be null");
        }
        if (depth > MAX_DEPTH) {
            throw new InvalidValueTypeException(path, "nested deeper than " + MAX_DEPTH + " levels");
        }
        ValueTypeKind kind = t.kind();
        only(t, path, kind == ValueTypeKind.STRUCT || kind == ValueTypeKind.UNION || kind == ValueTypeKind.ENUM, t.name(), "name",
                "struct, union and enum");
        only(t, path, kind == ValueTypeKind.ARRAY || kind == ValueTypeKind.CHAR, t.length(), "length", "array and char");
        only(t, path, kind == ValueTypeKind.ARRAY, t.element(), "element", "array");
        only(t, path, kind == ValueTypeKind.STRUCT || kind == ValueTypeKind.UNION, t.fields(), "fields", "struct and union");
        only(t, path, kind == ValueTypeKind.ENUM, t.values(), "values", "enum");
        only(t, path, kind == ValueTypeKind.ENUM, t.size(), "size", "enum");
        if (t.name() != null) {
            identifier(t.name(), path + ".name");
            if (t.name().equals("bpf_spin_lock") || t.name().equals("bpf_timer")) {
                throw new InvalidValueTypeException(path + ".name", "is the kernel's special field; use kind " + t.name());
            }
        }
        if (types.size() > MAX_TYPES) {
            throw new InvalidValueTypeException(path, "the type has more than " + MAX_TYPES + " parts");
        }
        return switch (kind) {
            case U8, U16, U32, U64, S8, S16, S32, S64, BOOL, CHAR -> scalar(t, path);
            case ARRAY -> {
                int length = length(t.length(), path + ".length");
                if (t.element() != null && t.element().kind() != null && t.element().kind().isSpecialField()) {
                    throw specialFieldPlace(path + ".element");
                }
                Laid element = lay(t.element(), path + ".element", depth + 1, false);
                yield array(element, length, path);
            }
            case STRUCT, UNION -> composite(t, path, depth, valueStruct);
            case ENUM -> enumeration(t, path);
            case BPF_SPIN_LOCK, BPF_TIMER -> throw specialFieldPlace(path);
        };
    }

    private Laid scalar(ValueType t, String path) {
        ValueTypeKind kind = t.kind();
        Laid one = switch (kind) {
            case BOOL -> laid(integer("_Bool", 1, IntEncoding.BOOL), 1);
            case CHAR -> laid(integer("char", 1, IntEncoding.SIGNED), 1);
            default -> laid(integer(cName(kind), kind.scalarSize(), kind.signed() ? IntEncoding.SIGNED : IntEncoding.NONE),
                    kind.scalarSize());
        };
        if (kind == ValueTypeKind.CHAR && t.length() != null) {
            return array(one, length(t.length(), path + ".length"), path);
        }
        return one;
    }

    /** The names clang gives these types in BTF. */
    private static String cName(ValueTypeKind kind) {
        return switch (kind) {
            case U8 -> "unsigned char";
            case U16 -> "unsigned short";
            case U32 -> "unsigned int";
            case U64 -> "unsigned long long";
            case S8 -> "signed char";
            case S16 -> "short";
            case S32 -> "int";
            case S64 -> "long long";
            default -> throw new IllegalArgumentException(kind + " is no integer");
        };
    }

    private Laid array(Laid element, int length, String path) {
        long size = element.size() * length;
        if (size > Integer.MAX_VALUE) {
            throw new InvalidValueTypeException(path, "is " + size + " bytes, more than a value can be");
        }
        int id = add(new BtfType.Array(types.size(), element.id(), keyTypeId, length));
        return new Laid(id, size, element.align());
    }

    private Laid composite(ValueType t, String path, int depth, boolean valueStruct) {
        boolean union = t.kind() == ValueTypeKind.UNION;
        List<ValueTypeField> fields = t.fields();
        if (fields == null || fields.isEmpty()) {
            throw new InvalidValueTypeException(path + ".fields", "a " + t.kind().jsonName() + " needs at least one field");
        }
        if (fields.size() > 0xffff) {
            throw new InvalidValueTypeException(path + ".fields", "more than 65535 fields");
        }
        List<BtfType.Member> members = new ArrayList<>(fields.size());
        Set<String> names = new HashSet<>();
        long offset = 0;
        long size = 0;
        int align = 1;
        for (int i = 0; i < fields.size(); i++) {
            String at = path + ".fields[" + i + "]";
            ValueTypeField field = fields.get(i);
            if (field == null) {
                throw new InvalidValueTypeException(at, "must not be null");
            }
            identifier(field.name(), at + ".name");
            if (!names.add(field.name())) {
                throw new InvalidValueTypeException(at + ".name", "'" + field.name() + "' is a field already");
            }
            Laid member;
            ValueType type = field.type();
            if (type != null && type.kind() != null && type.kind().isSpecialField()) {
                if (!valueStruct || union) {
                    throw specialFieldPlace(at + ".type");
                }
                member = specialField(type, at + ".type");
            } else {
                member = lay(type, at + ".type", depth + 1, false);
            }
            long memberOffset = union ? 0 : alignUp(offset, member.align());
            members.add(new BtfType.Member(field.name(), member.id(), memberOffset * 8, 0));
            offset = memberOffset + member.size();
            size = Math.max(size, offset);
            align = Math.max(align, member.align());
            if (size > Integer.MAX_VALUE) {
                throw new InvalidValueTypeException(at, "makes the " + t.kind().jsonName() + " more than a value can be");
            }
        }
        size = alignUp(size, align);
        String name = t.name() == null ? "" : t.name();
        int id = add(union ? new BtfType.Union(types.size(), name, size, false, members)
                : new BtfType.Struct(types.size(), name, size, false, members));
        return new Laid(id, size, align);
    }

    private Laid specialField(ValueType t, String path) {
        for (Object other : new Object[] {t.name(), t.length(), t.element(), t.fields(), t.values(), t.size()}) {
            if (other != null) {
                throw new InvalidValueTypeException(path, t.kind().jsonName() + " takes nothing but its kind");
            }
        }
        Integer known = special.get(t.kind());
        if (t.kind() == ValueTypeKind.BPF_SPIN_LOCK) {
            // "unsigned int" is the key type, always there: the struct's id is the next one.
            int id = known != null ? known : special(t.kind(), new BtfType.Struct(types.size(), "bpf_spin_lock", 4, false,
                    List.of(new BtfType.Member("val", keyTypeId, 0, 0))));
            return new Laid(id, 4, 4);
        }
        if (known != null) {
            return new Laid(known, 16, 8);
        }
        int u64 = integer("unsigned long long", 8, IntEncoding.NONE);
        int opaque = add(new BtfType.Array(types.size(), u64, keyTypeId, 2));
        return new Laid(special(t.kind(), new BtfType.Struct(types.size(), "bpf_timer", 16, false,
                List.of(new BtfType.Member("__opaque", opaque, 0, 0)))), 16, 8);
    }

    private int special(ValueTypeKind kind, BtfType.Struct struct) {
        int id = add(struct);
        special.put(kind, id);
        return id;
    }

    private Laid enumeration(ValueType t, String path) {
        int size = t.size() == null ? 4 : t.size();
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new InvalidValueTypeException(path + ".size", "must be 1, 2, 4 or 8");
        }
        List<ValueTypeEnumerator> values = t.values();
        if (values == null || values.isEmpty()) {
            throw new InvalidValueTypeException(path + ".values", "an enum needs at least one value");
        }
        if (values.size() > 0xffff) {
            throw new InvalidValueTypeException(path + ".values", "more than 65535 values");
        }
        boolean signed = values.stream().anyMatch(v -> v != null && v.value() != null && v.value() < 0);
        boolean wide = false;
        Set<String> names = new HashSet<>();
        List<BtfType.EnumValue> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String at = path + ".values[" + i + "]";
            ValueTypeEnumerator v = values.get(i);
            if (v == null) {
                throw new InvalidValueTypeException(at, "must not be null");
            }
            identifier(v.name(), at + ".name");
            if (!names.add(v.name())) {
                throw new InvalidValueTypeException(at + ".name", "'" + v.name() + "' is a value already");
            }
            if (v.value() == null) {
                throw new InvalidValueTypeException(at + ".value", "must not be null");
            }
            long value = v.value();
            if (!fits(value, size, signed)) {
                throw new InvalidValueTypeException(at + ".value", value + " does not fit a " + (signed ? "signed " : "")
                        + size + "-byte enum");
            }
            wide |= signed ? value != (int) value : (value >>> 32) != 0;
            out.add(new BtfType.EnumValue(v.name(), value));
        }
        String name = t.name() == null ? "" : t.name();
        // BTF_KIND_ENUM holds 32-bit values; ENUM64 (Linux 6.0) any 64-bit one, as clang emits them.
        int id = add(wide ? new BtfType.Enum64(types.size(), name, size, signed, out)
                : new BtfType.Enum(types.size(), name, size, signed, out));
        return new Laid(id, size, size);
    }

    private static boolean fits(long value, int size, boolean signed) {
        if (size == 8) {
            return true;
        }
        int bits = size * 8;
        return signed ? value >= -(1L << (bits - 1)) && value < (1L << (bits - 1)) : value >= 0 && value < (1L << bits);
    }

    private int integer(String name, int size, IntEncoding encoding) {
        String key = name + "/" + size + "/" + encoding;
        Integer known = ints.get(key);
        if (known != null) {
            return known;
        }
        int id = add(new BtfType.Int(types.size(), name, size, encoding, 0, size * 8));
        ints.put(key, id);
        return id;
    }

    private int add(BtfType t) {
        types.add(t);
        return t.id();
    }

    private static Laid laid(int id, int size) {
        return new Laid(id, size, size);
    }

    private static int length(Integer length, String path) {
        if (length == null) {
            throw new InvalidValueTypeException(path, "must not be null");
        }
        if (length < 1) {
            throw new InvalidValueTypeException(path, "must be at least 1");
        }
        return length;
    }

    private static void identifier(String name, String path) {
        if (name == null) {
            throw new InvalidValueTypeException(path, "must not be null");
        }
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new InvalidValueTypeException(path, "'" + name + "' is not a C identifier of at most 128 characters");
        }
    }

    private static void only(ValueType t, String path, boolean allowed, Object member, String memberName, String kinds) {
        if (member != null && !allowed) {
            throw new InvalidValueTypeException(path + "." + memberName, "applies to " + kinds + " only, not "
                    + t.kind().jsonName());
        }
    }

    private static InvalidValueTypeException specialFieldPlace(String path) {
        return new InvalidValueTypeException(path, "bpf_spin_lock and bpf_timer may only be fields of the value struct "
                + "itself (not of a nested struct, a union or an array, where the kernel may not find them)");
    }

    private static long alignUp(long n, int align) {
        return (n + align - 1) / align * align;
    }
}
