package io.bpfmapd.typed;

import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfType;
import io.bpfmapd.btf.BtfType.EnumValue;
import io.bpfmapd.btf.BtfType.IntEncoding;
import io.bpfmapd.btf.BtfType.Linkage;
import io.bpfmapd.btf.BtfType.Member;
import io.bpfmapd.btf.BtfType.VarSecinfo;
import io.bpfmapd.btf.BtfWriter;
import java.nio.ByteOrder;
import java.util.List;

/**
 * BTF as clang emits it for the C below, written with {@link BtfWriter}: every kind a map value can hold.
 * <pre>
 * enum color { RED = -1, GREEN = 2 };
 * enum big : unsigned long long { HUGE = 0xffffffff00000000 };
 * struct inner { unsigned short port; char name[8]; };
 * union u { int i; unsigned char b[4]; };
 * typedef unsigned long long u64;
 * struct value {
 *     signed char a; unsigned char flags:3; int lvl:5; unsigned short s; int i;
 *     volatile const u64 big; long long neg; _Bool ok; char name[8]; enum color c;
 *     struct inner in; union u u; struct { int x; int y; }; enum big e; int arr[3]; int *p;
 * };
 * int counter; struct value table;          // in .data
 * struct old { int bits:3 at bit 5 };       // BTF without kind_flag
 * </pre>
 */
final class TypedFixtures {

    static final int INT = 1;
    static final int U64 = 7;
    static final int CHAR8 = 14;
    static final int COLOR = 16;
    static final int BIG = 17;
    static final int INNER = 18;
    static final int UNION = 19;
    static final int VALUE = 22;
    static final int PTR = 23;
    static final int COUNTER = 24;
    static final int DATA = 26;
    static final int OLD = 27;
    static final int FUNC_PROTO = 29;
    static final int FLOAT = 30;
    static final int CHAR_TYPEDEF_ARRAY = 32;
    static final int INT128 = 33;

    static final int VALUE_SIZE = 88;

    private TypedFixtures() {
    }

    static List<BtfType> types() {
        return List.of(
                new BtfType.Void(),
                new BtfType.Int(1, "int", 4, IntEncoding.SIGNED, 0, 32),
                new BtfType.Int(2, "unsigned int", 4, IntEncoding.NONE, 0, 32),
                new BtfType.Int(3, "unsigned char", 1, IntEncoding.NONE, 0, 8),
                // clang spells char as a signed one-byte int named "char"
                new BtfType.Int(4, "char", 1, IntEncoding.SIGNED, 0, 8),
                new BtfType.Int(5, "_Bool", 1, IntEncoding.BOOL, 0, 8),
                new BtfType.Int(6, "long long", 8, IntEncoding.SIGNED, 0, 64),
                new BtfType.Int(7, "unsigned long long", 8, IntEncoding.NONE, 0, 64),
                new BtfType.Int(8, "short", 2, IntEncoding.SIGNED, 0, 16),
                new BtfType.Int(9, "unsigned short", 2, IntEncoding.NONE, 0, 16),
                new BtfType.Int(10, "signed char", 1, IntEncoding.SIGNED, 0, 8),
                new BtfType.Typedef(11, "u64", 7),
                new BtfType.Const(12, 11),
                new BtfType.Volatile(13, 12),
                new BtfType.Array(14, 4, 1, 8),
                new BtfType.Array(15, 1, 1, 3),
                new BtfType.Enum(16, "color", 4, true, List.of(new EnumValue("RED", -1), new EnumValue("GREEN", 2))),
                new BtfType.Enum64(17, "big", 8, false, List.of(new EnumValue("HUGE", 0xffffffff00000000L))),
                new BtfType.Struct(18, "inner", 10, false, List.of(new Member("port", 9, 0, 0), new Member("name", 14, 16, 0))),
                new BtfType.Union(19, "u", 4, false, List.of(new Member("i", 1, 0, 0), new Member("b", 20, 0, 0))),
                new BtfType.Array(20, 3, 1, 4),
                new BtfType.Struct(21, "", 8, false, List.of(new Member("x", 1, 0, 0), new Member("y", 1, 32, 0))),
                new BtfType.Struct(22, "value", VALUE_SIZE, true, List.of(
                        new Member("a", 10, 0, 0),
                        new Member("flags", 3, 8, 3),
                        new Member("lvl", 1, 11, 5),
                        new Member("s", 9, 16, 0),
                        new Member("i", 1, 32, 0),
                        new Member("big", 13, 64, 0),
                        new Member("neg", 6, 128, 0),
                        new Member("ok", 5, 192, 0),
                        new Member("name", 14, 200, 0),
                        new Member("c", 16, 264, 0),
                        new Member("in", 18, 296, 0),
                        new Member("u", 19, 376, 0),
                        new Member("", 21, 416, 0),
                        new Member("e", 17, 480, 0),
                        new Member("arr", 15, 544, 0),
                        new Member("p", 23, 640, 0))),
                new BtfType.Ptr(23, 1),
                new BtfType.Var(24, "counter", 1, Linkage.GLOBAL),
                new BtfType.Var(25, "table", 22, Linkage.GLOBAL),
                new BtfType.Datasec(26, ".data", 96, List.of(new VarSecinfo(24, 0, 4), new VarSecinfo(25, 8, VALUE_SIZE))),
                new BtfType.Struct(27, "old", 4, false, List.of(new Member("bits", 28, 5, 0))),
                new BtfType.Int(28, "int", 4, IntEncoding.SIGNED, 0, 3),
                new BtfType.FuncProto(29, 1, List.of()),
                new BtfType.Float(30, "double", 8),
                new BtfType.Typedef(31, "mychar", 4),
                new BtfType.Array(32, 31, 1, 4),
                new BtfType.Int(33, "__int128 unsigned", 16, IntEncoding.NONE, 0, 128));
    }

    static Btf btf() {
        return Btf.parse(BtfWriter.write(types(), ByteOrder.LITTLE_ENDIAN));
    }
}
