package io.bpfmapd.btf;

import io.bpfmapd.btf.BtfType.EnumValue;
import io.bpfmapd.btf.BtfType.IntEncoding;
import io.bpfmapd.btf.BtfType.Linkage;
import io.bpfmapd.btf.BtfType.Member;
import io.bpfmapd.btf.BtfType.Param;
import io.bpfmapd.btf.BtfType.VarSecinfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the header, the string section and the type section of a raw BTF blob (include/uapi/linux/btf.h)
 * into {@link BtfType}s, checking each field as it goes. Every read is bounds-checked first, and what
 * the reader allocates is bounded by the blob's length (a {@code vlen} is believed only as far as the
 * bytes left can hold it; decoded names have a budget), so no input takes unbounded memory or time.
 * Cross-type rules (ids in range, sizes, cycles, members inside their struct) are {@link BtfLayout}'s.
 */
final class BtfReader {

    static final int MAGIC = 0xeB9F;
    static final int VERSION = 1;
    /** {@code sizeof(struct btf_header)}: the fields this reader knows. */
    static final int HEADER_LEN = 24;

    private static final int TYPE_LEN = 12;
    /** Bytes of names a blob may decode beyond its string section's length (suffix offsets cost extra). */
    private static final long NAME_BUDGET_SLACK = 1 << 20;

    private final byte[] blob;
    private final ByteBuffer buf;
    private final long strStart;
    private final long strLen;
    private final Map<Integer, String> names = new HashMap<>();
    private long nameBudget;

    private BtfReader(byte[] blob, ByteOrder order, long strStart, long strLen) {
        this.blob = blob;
        this.buf = ByteBuffer.wrap(blob).order(order);
        this.strStart = strStart;
        this.strLen = strLen;
        this.nameBudget = 4 * strLen + NAME_BUDGET_SLACK;
    }

    /** The parsed types, index = type id (0 is void), and each type's byte offset in the blob. */
    record Types(ByteOrder order, List<BtfType> types, int[] offsets) {
    }

    static Types read(byte[] blob) {
        if (blob.length < 8) {
            throw new BtfFormatException(0, "a BTF header takes at least 8 bytes, the blob has " + blob.length);
        }
        ByteOrder order = byteOrder(blob);
        ByteBuffer b = ByteBuffer.wrap(blob).order(order);
        int version = blob[2] & 0xff;
        if (version != VERSION) {
            throw new BtfFormatException(2, "version " + version + ", only " + VERSION + " is known");
        }
        if (blob[3] != 0) {
            throw new BtfFormatException(3, "flags " + (blob[3] & 0xff) + ", none are defined");
        }
        long hdrLen = Integer.toUnsignedLong(b.getInt(4));
        if (hdrLen < HEADER_LEN) {
            throw new BtfFormatException(4, "hdr_len " + hdrLen + " is shorter than the " + HEADER_LEN + " bytes of struct btf_header");
        }
        if (hdrLen > blob.length) {
            throw new BtfFormatException(4, "hdr_len " + hdrLen + " is beyond the blob's " + blob.length + " bytes");
        }
        // A longer header (a newer producer's) carries fields this reader does not know: they are skipped,
        // and so is any section they describe, since sections are found by offset from the header's end.
        long dataLen = blob.length - hdrLen;
        long typeOff = Integer.toUnsignedLong(b.getInt(8));
        long typeLen = Integer.toUnsignedLong(b.getInt(12));
        long strOff = Integer.toUnsignedLong(b.getInt(16));
        long strLen = Integer.toUnsignedLong(b.getInt(20));
        if (typeOff + typeLen > dataLen) {
            throw new BtfFormatException(8, "type section [" + typeOff + ", +" + typeLen + ") is beyond the data's " + dataLen + " bytes");
        }
        if (strOff + strLen > dataLen) {
            throw new BtfFormatException(16, "string section [" + strOff + ", +" + strLen + ") is beyond the data's " + dataLen + " bytes");
        }
        long strStart = hdrLen + strOff;
        // kernel/bpf/btf.c btf_parse_str_sec: the section starts with the empty string and ends with a NUL,
        // so every name inside it ends too.
        if (strLen == 0 || blob[(int) strStart] != 0 || blob[(int) (strStart + strLen - 1)] != 0) {
            throw new BtfFormatException(strStart, "the string section must start with \"\" and end with a NUL");
        }
        BtfReader reader = new BtfReader(blob, order, strStart, strLen);
        return reader.types(hdrLen + typeOff, hdrLen + typeOff + typeLen);
    }

    private static ByteOrder byteOrder(byte[] blob) {
        int le = (blob[0] & 0xff) | (blob[1] & 0xff) << 8;
        if (le == MAGIC) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (Integer.reverseBytes(le) >>> 16 == MAGIC) {
            return ByteOrder.BIG_ENDIAN;
        }
        throw new BtfFormatException(0, String.format("magic 0x%04x, not 0x%04x in either byte order", le, MAGIC));
    }

    private Types types(long start, long end) {
        // Every type takes at least 12 bytes: the count is bounded by the section's length.
        int max = (int) ((end - start) / TYPE_LEN);
        List<BtfType> types = new ArrayList<>(Math.min(max, 1 << 16) + 1);
        List<Integer> offsets = new ArrayList<>(Math.min(max, 1 << 16) + 1);
        types.add(new BtfType.Void());
        offsets.add(0);
        long pos = start;
        while (pos < end) {
            int id = types.size();
            offsets.add((int) pos);
            Cursor c = new Cursor(pos, end);
            types.add(type(id, c));
            pos = c.pos;
        }
        int[] offs = new int[offsets.size()];
        for (int i = 0; i < offs.length; i++) {
            offs[i] = offsets.get(i);
        }
        return new Types(buf.order(), List.copyOf(types), offs);
    }

    private BtfType type(int id, Cursor c) {
        long at = c.pos;
        String name = name(c.u32());
        long info = c.u32();
        long sizeOrType = c.u32();
        int kindNumber = (int) ((info >>> 24) & 0x1f);
        int vlen = (int) (info & 0xffff);
        boolean kflag = (info >>> 31) != 0;
        BtfKind kind = BtfKind.ofNumber(kindNumber);
        if (kind == null) {
            // A kind after ENUM64 is a newer kernel's. Its data cannot be skipped: a type's length follows
            // from its kind alone (there is no length field), so no type after it can be found either.
            throw new BtfFormatException(at + 4, "type " + id + " has kind " + kindNumber + ", which this reader does not know"
                    + (kindNumber > BtfKind.ENUM64.number() ? " (a newer kernel's; the last it knows is "
                    + BtfKind.ENUM64.number() + ", ENUM64): its length is unknown, so no type from it on can be read" : ""));
        }
        int type = sizeOrType > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sizeOrType; // checked against the count later
        return switch (kind) {
            case INT -> intType(id, name, sizeOrType, c, at);
            case PTR -> new BtfType.Ptr(id, type);
            case ARRAY -> new BtfType.Array(id, c.typeId(), c.typeId(), c.u32());
            case STRUCT -> new BtfType.Struct(id, name, sizeOrType, kflag, members(c, vlen, kflag));
            case UNION -> new BtfType.Union(id, name, sizeOrType, kflag, members(c, vlen, kflag));
            case ENUM -> new BtfType.Enum(id, name, enumSize(sizeOrType, at), kflag, enumValues(c, vlen, kflag));
            case ENUM64 -> new BtfType.Enum64(id, name, enumSize(sizeOrType, at), kflag, enum64Values(c, vlen));
            case FWD -> new BtfType.Fwd(id, name, kflag);
            case TYPEDEF -> new BtfType.Typedef(id, name, type);
            case VOLATILE -> new BtfType.Volatile(id, type);
            case CONST -> new BtfType.Const(id, type);
            case RESTRICT -> new BtfType.Restrict(id, type);
            case TYPE_TAG -> new BtfType.TypeTag(id, name, type, kflag);
            case FUNC -> new BtfType.Func(id, name, type, linkage(vlen, at + 4, "FUNC"));
            case FUNC_PROTO -> new BtfType.FuncProto(id, type, params(c, vlen));
            case VAR -> {
                long linkageAt = c.pos;
                yield new BtfType.Var(id, name, type, linkage(c.u32(), linkageAt, "VAR"));
            }
            case DATASEC -> new BtfType.Datasec(id, name, sizeOrType, secinfos(c, vlen));
            case FLOAT -> new BtfType.Float(id, name, floatSize(sizeOrType, at));
            case DECL_TAG -> {
                long idxAt = c.pos;
                int idx = (int) c.u32();
                if (idx < -1) {
                    throw new BtfFormatException(idxAt, "DECL_TAG component_idx " + idx + " is below -1");
                }
                yield new BtfType.DeclTag(id, name, type, idx, kflag);
            }
            case VOID -> throw new IllegalStateException("kind 0 is refused by BtfKind.ofNumber");
        };
    }

    /** kernel/bpf/btf.c btf_int_check_meta: size 1..16 bytes, bits within it, one encoding at most. */
    private BtfType intType(int id, String name, long size, Cursor c, long at) {
        long dataAt = c.pos;
        long data = c.u32();
        int encoding = (int) ((data >>> 24) & 0x0f);
        int offset = (int) ((data >>> 16) & 0xff);
        int bits = (int) (data & 0xff);
        if (size != 1 && size != 2 && size != 4 && size != 8 && size != 16) {
            throw new BtfFormatException(at + 8, "INT " + id + " has size " + size + ", not 1, 2, 4, 8 or 16");
        }
        if (bits == 0 || bits > 128 || offset + bits > size * 8 || (data & 0xf000ff00L) != 0) {
            throw new BtfFormatException(dataAt, "INT " + id + " has " + bits + " bits at bit " + offset + " in " + size + " bytes");
        }
        IntEncoding enc = null;
        for (IntEncoding e : IntEncoding.values()) {
            if (e.bits() == encoding) {
                enc = e;
            }
        }
        if (enc == null) {
            throw new BtfFormatException(dataAt, "INT " + id + " has encoding " + encoding + ", not one of SIGNED, CHAR, BOOL");
        }
        return new BtfType.Int(id, name, size, enc, offset, bits);
    }

    private static long enumSize(long size, long at) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new BtfFormatException(at + 8, "enum size " + size + ", not 1, 2, 4 or 8");
        }
        return size;
    }

    private static long floatSize(long size, long at) {
        if (size != 2 && size != 4 && size != 8 && size != 12 && size != 16) {
            throw new BtfFormatException(at + 8, "FLOAT size " + size + ", not 2, 4, 8, 12 or 16");
        }
        return size;
    }

    private static Linkage linkage(long value, long at, String kind) {
        if (value < 0 || value > 2) {
            throw new BtfFormatException(at, kind + " linkage " + value + ", not static (0), global (1) or extern (2)");
        }
        return Linkage.values()[(int) value];
    }

    private List<Member> members(Cursor c, int vlen, boolean kflag) {
        c.need((long) vlen * 12, "members");
        List<Member> members = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
            String name = name(c.u32());
            int type = c.typeId();
            long offset = c.u32();
            members.add(kflag ? new Member(name, type, offset & 0xffffff, (int) (offset >>> 24))
                    : new Member(name, type, offset, 0));
        }
        return List.copyOf(members);
    }

    private List<EnumValue> enumValues(Cursor c, int vlen, boolean signed) {
        c.need((long) vlen * 8, "enum values");
        List<EnumValue> values = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
            String name = name(c.u32());
            long raw = c.u32();
            values.add(new EnumValue(name, signed ? (int) raw : raw));
        }
        return List.copyOf(values);
    }

    private List<EnumValue> enum64Values(Cursor c, int vlen) {
        c.need((long) vlen * 12, "enum64 values");
        List<EnumValue> values = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
            String name = name(c.u32());
            long lo = c.u32();
            long hi = c.u32();
            values.add(new EnumValue(name, hi << 32 | lo));
        }
        return List.copyOf(values);
    }

    private List<Param> params(Cursor c, int vlen) {
        c.need((long) vlen * 8, "parameters");
        List<Param> params = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
            params.add(new Param(name(c.u32()), c.typeId()));
        }
        return List.copyOf(params);
    }

    private List<VarSecinfo> secinfos(Cursor c, int vlen) {
        c.need((long) vlen * 12, "variables");
        List<VarSecinfo> vars = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
            vars.add(new VarSecinfo(c.typeId(), c.u32(), c.u32()));
        }
        return List.copyOf(vars);
    }

    /** The NUL-terminated string at {@code offset} of the string section, decoded once per offset. */
    private String name(long offset) {
        if (offset == 0) {
            return "";
        }
        if (offset >= strLen) {
            throw new BtfFormatException(strStart, "name offset " + offset + " is beyond the string section's " + strLen + " bytes");
        }
        String cached = names.get((int) offset);
        if (cached != null) {
            return cached;
        }
        int from = (int) (strStart + offset);
        int to = from;
        while (blob[to] != 0) { // the section ends with a NUL (checked in read)
            to++;
        }
        nameBudget -= to - from + 1;
        if (nameBudget < 0) {
            throw new BtfFormatException(from, "names decode to far more bytes than the string section holds");
        }
        String name = new String(blob, from, to - from, StandardCharsets.UTF_8);
        names.put((int) offset, name);
        return name;
    }

    /** A position in the type section that never reads past its end. */
    private final class Cursor {
        long pos;
        private final long end;

        Cursor(long pos, long end) {
            this.pos = pos;
            this.end = end;
        }

        void need(long bytes, String what) {
            if (bytes > end - pos) {
                throw new BtfFormatException(pos, what + " need " + bytes + " bytes, the type section has " + (end - pos) + " left");
            }
        }

        long u32() {
            need(4, "a field");
            long v = Integer.toUnsignedLong(buf.getInt((int) pos));
            pos += 4;
            return v;
        }

        /** A type id; ids beyond the type count are refused once all types are read. */
        int typeId() {
            long v = u32();
            return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
        }
    }
}
