package io.bpfmapd.typed;

import static io.bpfmapd.typed.TypedIntegers.OPERATION;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a BTF type into its {@link Codec} tree, once per type id (an array of a million structs
 * shares one struct codec). Types are looked through typedefs and qualifiers as bpftool's
 * btf_dumper_modifier does.
 */
final class CodecBuilder {

    /** Deeper than any C value type the kernel accepts (kernel/bpf/btf.c MAX_RESOLVE_DEPTH is 32). */
    private static final int MAX_DEPTH = 64;

    private final Btf btf;
    private final Map<Integer, Codec> byId = new HashMap<>();

    private CodecBuilder(Btf btf) {
        this.btf = btf;
    }

    static Codec build(Btf btf, int typeId) {
        return new CodecBuilder(btf).codec(typeId, 0);
    }

    private Codec codec(int id, int depth) {
        Codec known = byId.get(id);
        if (known != null) {
            return known;
        }
        if (depth > MAX_DEPTH) {
            throw unsupported(id, "nests deeper than " + MAX_DEPTH + " types");
        }
        Codec c = compile(btf.resolve(id), depth + 1);
        byId.put(id, c);
        return c;
    }

    private Codec compile(BtfType t, int depth) {
        return switch (t) {
            case BtfType.Int i -> integer(i, 0);
            case BtfType.Ptr p -> new Codec.Pointer(btf.pointerSize());
            case BtfType.Enumeration e -> enumeration(e);
            case BtfType.Float f -> new Codec.Float((int) f.size());
            case BtfType.Array a -> new Codec.Array(codec(a.type(), depth), btf.sizeOf(a.type()), a.nelems(), chars(a.type()));
            case BtfType.Composite c -> composite(c, depth);
            case BtfType.Var v -> new Codec.Var(v.name(), codec(v.type(), depth));
            case BtfType.Datasec d -> datasec(d, depth);
            default -> throw unsupported(t.id(), "has no value (" + t.kind() + ")");
        };
    }

    /**
     * An INT, at {@code extraBits} past its byte (a member's bit offset in BTF without kind_flag): a
     * bitfield unless it is a whole 1, 2, 4 or 8 bytes at bit 0 (btf_dumper_int's test).
     */
    private Codec integer(BtfType.Int i, int extraBits) {
        boolean signed = i.encoding() == BtfType.IntEncoding.SIGNED;
        int shift = extraBits + i.bitOffset();
        if (shift != 0 || i.bits() % 8 != 0) {
            return new Codec.Bits(shift, i.bits(), signed);
        }
        if (i.bits() > 64) {
            return new Codec.Wide(i.bits() / 8, signed);
        }
        if (i.bits() != 8 && i.bits() != 16 && i.bits() != 32 && i.bits() != 64) {
            return new Codec.Bits(0, i.bits(), signed);
        }
        return switch (i.encoding()) {
            case CHAR -> new Codec.Char();
            case BOOL -> new Codec.Bool((int) i.size());
            case NONE, SIGNED -> new Codec.Int(i.bits() / 8, signed);
        };
    }

    private Codec enumeration(BtfType.Enumeration e) {
        int n = e.values().size();
        long[] values = new long[n];
        String[] names = new String[n];
        Map<String, Long> byName = new HashMap<>();
        for (int i = 0; i < n; i++) {
            values[i] = e.values().get(i).value();
            names[i] = e.values().get(i).name();
            byName.putIfAbsent(names[i], values[i]);
        }
        int width = (int) e.size();
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            throw unsupported(e.id(), "is an enum of " + width + " bytes");
        }
        return new Codec.Enumeration(width, e.signed(), values, names, byName);
    }

    /** Whether an array of {@code elementId} prints as a string: is_str_array's test, before the bytes. */
    private boolean chars(int elementId) {
        BtfType t = btf.type(elementId);
        // bpftool looks through qualifiers but not typedefs: an array of a typedef of char is numbers
        while (t instanceof BtfType.Volatile || t instanceof BtfType.Const || t instanceof BtfType.Restrict
                || t instanceof BtfType.TypeTag) {
            t = btf.type(((BtfType.Alias) t).type());
        }
        return t instanceof BtfType.Int i && i.size() == 1
                && (i.encoding() == BtfType.IntEncoding.CHAR || i.name().equals("char"));
    }

    private Codec composite(BtfType.Composite c, int depth) {
        List<Codec.Member> members = new ArrayList<>();
        Map<String, Codec.Member> byName = new LinkedHashMap<>();
        List<Codec.Member> anonymous = new ArrayList<>();
        for (BtfType.Member m : c.members()) {
            long byteOffset = m.bitOffset() >>> 3;
            int extraBits = (int) (m.bitOffset() & 7);
            Codec codec;
            if (m.bitfieldSize() > 0) {
                codec = new Codec.Bits(extraBits, m.bitfieldSize(), signedInteger(m.type()));
            } else if (btf.resolve(m.type()) instanceof BtfType.Int i) {
                codec = integer(i, extraBits);
            } else {
                codec = codec(m.type(), depth);
            }
            Codec.Member member = new Codec.Member(m.name(), byteOffset, codec instanceof Codec.Bits ? 0 : btf.sizeOf(m.type()), codec);
            members.add(member);
            if (m.name().isEmpty()) {
                anonymous.add(member);
            } else {
                byName.putIfAbsent(m.name(), member);
            }
        }
        String kind = (c instanceof BtfType.Union ? "union " : "struct ") + (c.name().isEmpty() ? "(anonymous)" : c.name());
        return new Codec.Composite(kind, c instanceof BtfType.Union, c.size(), List.copyOf(members), byName,
                List.copyOf(anonymous));
    }

    private boolean signedInteger(int id) {
        return switch (btf.resolve(id)) {
            case BtfType.Int i -> i.encoding() == BtfType.IntEncoding.SIGNED;
            case BtfType.Enumeration e -> e.signed();
            default -> false;
        };
    }

    private Codec datasec(BtfType.Datasec d, int depth) {
        List<Codec.Variable> vars = new ArrayList<>();
        Map<String, Codec.Variable> byName = new HashMap<>();
        for (BtfType.VarSecinfo v : d.vars()) {
            if (!(btf.type(v.type()) instanceof BtfType.Var var)) {
                throw unsupported(d.id(), "holds type " + v.type() + ", which is not a VAR");
            }
            Codec.Variable variable = new Codec.Variable(v.offset(), new Codec.Var(var.name(), codec(var.type(), depth)));
            vars.add(variable);
            byName.putIfAbsent(var.name(), variable);
        }
        return new Codec.Datasec(d.name(), d.size(), List.copyOf(vars), byName);
    }

    private static BpfException unsupported(int id, String why) {
        return new BpfException(Errno.EINVAL, OPERATION, "type " + id + " " + why + ": it has no typed value");
    }
}
