package io.bpfmapd.btf;

import io.bpfmapd.btf.BtfType.EnumValue;
import io.bpfmapd.btf.BtfType.IntEncoding;
import io.bpfmapd.btf.BtfType.Linkage;
import io.bpfmapd.btf.BtfType.Member;
import io.bpfmapd.btf.BtfType.Param;
import io.bpfmapd.btf.BtfType.VarSecinfo;

import java.nio.ByteOrder;
import java.util.List;

/** Hand-made BTF with every kind, written by {@link BtfWriter}: what a C compiler would emit for a small program. */
public final class BtfFixtures {

    public static final int INT = 1;
    static final int VOLATILE_CONST_U8 = 7;
    static final int CHAR_ARRAY = 10;
    public static final int VALUE = 11;
    static final int UNION = 12;
    static final int FWD = 15;
    static final int TYPE_TAG = 16;
    static final int PROTO = 17;
    static final int FUNC = 18;
    static final int DATASEC = 21;
    static final int PACKED = 24;
    static final int OLD_BITFIELDS = 26;

    private BtfFixtures() {
    }

    /** Every kind of include/uapi/linux/btf.h, ids 1..27. */
    public static List<BtfType> allKinds() {
        return List.of(
                new BtfType.Void(),
                new BtfType.Int(1, "int", 4, IntEncoding.SIGNED, 0, 32),
                new BtfType.Int(2, "unsigned char", 1, IntEncoding.NONE, 0, 8),
                new BtfType.Int(3, "_Bool", 1, IntEncoding.BOOL, 0, 8),
                new BtfType.Int(4, "char", 1, IntEncoding.CHAR, 0, 8),
                new BtfType.Typedef(5, "u8", 2),
                new BtfType.Const(6, 5),
                new BtfType.Volatile(7, 6),
                new BtfType.Restrict(8, 9),
                new BtfType.Ptr(9, 1),
                new BtfType.Array(10, 4, 1, 16),
                // struct value { int a; int flags:3; int more:5; char name[16]; int *p; }
                new BtfType.Struct(11, "value", 32, true, List.of(
                        new Member("a", 1, 0, 0), new Member("flags", 1, 32, 3), new Member("more", 1, 35, 5),
                        new Member("name", 10, 64, 0), new Member("p", 9, 192, 0))),
                new BtfType.Union(12, "u", 8, false, List.of(new Member("x", 1, 0, 0), new Member("y", 9, 0, 0))),
                new BtfType.Enum(13, "color", 4, true, List.of(new EnumValue("RED", -1), new EnumValue("GREEN", 2))),
                new BtfType.Enum64(14, "big", 8, false, List.of(new EnumValue("HUGE", 0xffffffff00000000L))),
                new BtfType.Fwd(15, "later", false),
                new BtfType.TypeTag(16, "user", 1, false),
                new BtfType.FuncProto(17, 1, List.of(new Param("a", 1), new Param("", 0))),
                new BtfType.Func(18, "f", 17, Linkage.GLOBAL),
                new BtfType.Var(19, "counter", 1, Linkage.GLOBAL),
                new BtfType.Var(20, "table", 11, Linkage.STATIC),
                new BtfType.Datasec(21, ".data", 48, List.of(new VarSecinfo(19, 0, 4), new VarSecinfo(20, 8, 32))),
                new BtfType.Float(22, "double", 8),
                new BtfType.DeclTag(23, "tag", 11, 1, false),
                // struct packed { u8 c; int i; } __attribute__((packed))
                new BtfType.Struct(24, "packed", 5, false, List.of(new Member("c", 5, 0, 0), new Member("i", 1, 8, 0))),
                new BtfType.Int(25, "long", 8, IntEncoding.SIGNED, 0, 64),
                // struct oldbits { int bits:3 at bit 5 }, as BTF before kind_flag spelled bitfields
                new BtfType.Struct(26, "oldbits", 4, false, List.of(new Member("bits", 27, 5, 0))),
                new BtfType.Int(27, "int", 4, IntEncoding.SIGNED, 0, 3));
    }

    public static byte[] allKindsBlob() {
        return BtfWriter.write(allKinds(), ByteOrder.LITTLE_ENDIAN);
    }
}
