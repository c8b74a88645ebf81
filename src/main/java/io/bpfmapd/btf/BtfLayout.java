package io.bpfmapd.btf;

import io.bpfmapd.btf.BtfType.Composite;
import io.bpfmapd.btf.BtfType.Member;
import io.bpfmapd.btf.BtfType.VarSecinfo;

import java.util.List;

/**
 * The rules between types, and each type's size and alignment: every type id in range, a FUNC's type a
 * FUNC_PROTO, a DATASEC's entries VARs inside it in order, no type its own part (a cycle that does not
 * pass through a pointer), array sizes within {@code __u32}, every member inside its struct. The rules
 * are the kernel's own (kernel/bpf/btf.c, btf_check_all_types and the *_check_member functions), so
 * BTF the kernel took is accepted; alignment is libbpf's {@code btf__align_of} (tools/lib/bpf/btf.c).
 *
 * <p>Sizes and alignments are computed once, in one iterative walk (no recursion: a chain of 100,000
 * typedefs takes no stack), in time linear in the number of types and members.
 */
final class BtfLayout {

    /** Size of an unsized type (void, FUNC, FUNC_PROTO, FWD, DECL_TAG, or an alias of one). */
    static final long UNSIZED = -1;

    private static final byte NEW = 0;
    private static final byte VISITING = 1;
    private static final byte DONE = 2;

    final long[] size;
    final int[] align;
    /** The id reached through TYPEDEF, VOLATILE, CONST, RESTRICT and TYPE_TAG. */
    final int[] resolved;
    final int pointerSize;

    private final List<BtfType> types;
    private final int[] offsets;

    private BtfLayout(List<BtfType> types, int[] offsets) {
        this.types = types;
        this.offsets = offsets;
        this.size = new long[types.size()];
        this.align = new int[types.size()];
        this.resolved = new int[types.size()];
        this.pointerSize = pointerSize(types);
    }

    static BtfLayout of(List<BtfType> types, int[] offsets) {
        BtfLayout layout = new BtfLayout(types, offsets);
        for (BtfType t : types) {
            layout.checkReferences(t);
        }
        layout.walk();
        return layout;
    }

    private void checkReferences(BtfType t) {
        switch (t) {
            case BtfType.Ptr p -> ref(t, p.type());
            case BtfType.Alias a -> ref(t, a.type());
            case BtfType.Array a -> {
                ref(t, a.type());
                ref(t, a.indexType());
            }
            case Composite c -> c.members().forEach(m -> ref(t, m.type()));
            case BtfType.Func f -> {
                if (!(type(t, f.type()) instanceof BtfType.FuncProto)) {
                    throw error(t, "FUNC's type " + f.type() + " is not a FUNC_PROTO");
                }
            }
            case BtfType.FuncProto p -> {
                ref(t, p.returnType());
                p.params().forEach(param -> ref(t, param.type()));
            }
            case BtfType.Var v -> ref(t, v.type());
            case BtfType.Datasec d -> {
                for (VarSecinfo v : d.vars()) {
                    if (!(type(t, v.type()) instanceof BtfType.Var)) {
                        throw error(t, "DATASEC entry type " + v.type() + " is not a VAR");
                    }
                }
            }
            case BtfType.DeclTag tag -> {
                BtfType target = type(t, tag.type());
                if (tag.componentIdx() >= 0) {
                    int components = switch (target) {
                        case Composite c -> c.members().size();
                        case BtfType.Func f -> type(t, f.type()) instanceof BtfType.FuncProto p ? p.params().size() : 0;
                        default -> throw error(t, "DECL_TAG names component " + tag.componentIdx() + " of " + target.kind());
                    };
                    if (tag.componentIdx() >= components) {
                        throw error(t, "DECL_TAG names component " + tag.componentIdx() + " of " + components);
                    }
                }
            }
            case BtfType.Void v -> {
            }
            case BtfType.Int i -> {
            }
            case BtfType.Enumeration e -> {
            }
            case BtfType.Fwd f -> {
            }
            case BtfType.Float f -> {
            }
        }
    }

    private void ref(BtfType from, int id) {
        type(from, id);
    }

    private BtfType type(BtfType from, int id) {
        if (id < 0 || id >= types.size()) {
            throw error(from, "refers to type id " + id + ", the last is " + (types.size() - 1));
        }
        return types.get(id);
    }

    /** Post-order over the "is made of" edges (aliases, array elements, members, variables), never pointers. */
    private void walk() {
        byte[] state = new byte[types.size()];
        int[] stack = new int[types.size()];
        int[] next = new int[types.size()];
        for (int root = 0; root < types.size(); root++) {
            if (state[root] == DONE) {
                continue;
            }
            int depth = 0;
            stack[0] = root;
            next[0] = 0;
            state[root] = VISITING;
            while (depth >= 0) {
                int id = stack[depth];
                int child = part(types.get(id), next[depth]++);
                if (child >= 0) {
                    if (state[child] == VISITING) {
                        throw error(types.get(child), "is part of itself (a cycle not through a pointer)");
                    }
                    if (state[child] == NEW) {
                        state[child] = VISITING;
                        stack[++depth] = child;
                        next[depth] = 0;
                    }
                    continue;
                }
                compute(types.get(id));
                state[id] = DONE;
                depth--;
            }
        }
    }

    /** The {@code i}th type {@code t} is made of, or -1 after the last. */
    private static int part(BtfType t, int i) {
        return switch (t) {
            case BtfType.Alias a -> i == 0 ? a.type() : -1;
            case BtfType.Array a -> i == 0 ? a.type() : -1;
            case BtfType.Var v -> i == 0 ? v.type() : -1;
            case Composite c -> i < c.members().size() ? c.members().get(i).type() : -1;
            case BtfType.Datasec d -> i < d.vars().size() ? d.vars().get(i).type() : -1;
            default -> -1;
        };
    }

    private void compute(BtfType t) {
        int id = t.id();
        resolved[id] = id;
        switch (t) {
            case BtfType.Int i -> sized(id, i.size(), Math.min(pointerSize, (int) i.size()));
            case BtfType.Enumeration e -> sized(id, e.size(), Math.min(pointerSize, (int) e.size()));
            case BtfType.Float f -> sized(id, f.size(), Math.min(pointerSize, (int) f.size()));
            case BtfType.Ptr p -> sized(id, pointerSize, pointerSize);
            case BtfType.Alias a -> {
                size[id] = size[a.type()];
                align[id] = align[a.type()];
                resolved[id] = resolved[a.type()];
            }
            case BtfType.Var v -> {
                if (size[v.type()] == UNSIZED) {
                    throw error(t, "VAR's type " + v.type() + " has no size");
                }
                sized(id, size[v.type()], align[v.type()]);
            }
            case BtfType.Array a -> {
                long elem = size[a.type()];
                if (elem == UNSIZED) {
                    throw error(t, "ARRAY's element type " + a.type() + " has no size");
                }
                long total = elem * a.nelems(); // both below 2^32: no overflow in 64 bits
                if (total > 0xffffffffL) {
                    throw error(t, "ARRAY of " + a.nelems() + " elements of " + elem + " bytes overflows u32");
                }
                sized(id, total, align[a.type()]);
            }
            case Composite c -> sized(id, c.size(), compositeAlign(c));
            case BtfType.Datasec d -> sized(id, d.size(), datasecAlign(d));
            default -> {
                size[id] = UNSIZED;
                align[id] = 0;
            }
        }
    }

    private void sized(int id, long bytes, int alignment) {
        size[id] = bytes;
        align[id] = Math.max(1, alignment);
    }

    /**
     * Checks every member against the kernel's rules and returns libbpf's alignment: the largest of the
     * members', or 1 when a member or the size shows the struct is packed.
     */
    private int compositeAlign(Composite c) {
        int maxAlign = 1;
        boolean packed = false;
        for (Member m : c.members()) {
            checkMember(c, m);
            int a = align[m.type()];
            maxAlign = Math.max(maxAlign, a);
            if (m.bitfieldSize() == 0 && m.bitOffset() % (8L * a) != 0) {
                packed = true;
            }
        }
        return packed || c.size() % maxAlign != 0 ? 1 : maxAlign;
    }

    /**
     * kernel/bpf/btf.c btf_struct_resolve and the *_check_member functions: a member has a size; a
     * bitfield (kind_flag) is an integer or enum no wider than its type; an old-style bitfield (an INT
     * with offset and bits) copies at most 128 bits; any other member is byte aligned; all lie inside.
     */
    private void checkMember(Composite c, Member m) {
        long memberSize = size[m.type()];
        if (memberSize == UNSIZED) {
            throw error(c, "member '" + m.name() + "' has type " + m.type() + ", which has no size");
        }
        long structBits = c.size() * 8;
        BtfType base = types.get(resolved[m.type()]);
        if (m.bitfieldSize() > 0) {
            long width = switch (base) {
                case BtfType.Int i -> i.bits();
                case BtfType.Enumeration e -> e.size() * 8;
                default -> throw error(c, "bitfield member '" + m.name() + "' is a " + base.kind() + ", not an integer or enum");
            };
            if (m.bitfieldSize() > width || m.bitfieldSize() > 128 || m.bitOffset() + m.bitfieldSize() > structBits) {
                throw error(c, "bitfield member '" + m.name() + "' of " + m.bitfieldSize() + " bits at bit " + m.bitOffset()
                        + " does not fit its type or the " + c.size() + "-byte " + c.kind());
            }
            return;
        }
        if (!c.kindFlag() && base instanceof BtfType.Int i) {
            long copyBits = i.bits() + m.bitOffset() % 8 + i.bitOffset();
            if (copyBits > 128 || m.bitOffset() / 8 + (copyBits + 7) / 8 > c.size()) {
                throw error(c, "member '" + m.name() + "' at bit " + m.bitOffset() + " exceeds the " + c.size() + "-byte " + c.kind());
            }
            return;
        }
        if (m.bitOffset() % 8 != 0) {
            throw error(c, "member '" + m.name() + "' at bit " + m.bitOffset() + " is not byte aligned");
        }
        if (m.bitOffset() / 8 + memberSize > c.size()) {
            throw error(c, "member '" + m.name() + "' of " + memberSize + " bytes at byte " + m.bitOffset() / 8
                    + " exceeds the " + c.size() + "-byte " + c.kind());
        }
    }

    /** kernel/bpf/btf.c btf_datasec_resolve: entries in order, not overlapping, inside, no smaller than their VAR. */
    private int datasecAlign(BtfType.Datasec d) {
        long end = 0;
        int maxAlign = 1;
        for (VarSecinfo v : d.vars()) {
            if (v.offset() < end || v.size() == 0 || v.offset() + v.size() > d.size() || v.size() < size[v.type()]) {
                throw error(d, "variable " + v.type() + " at " + v.offset() + " of " + v.size()
                        + " bytes overlaps another, lies outside the section or is smaller than its type");
            }
            end = v.offset() + v.size();
            maxAlign = Math.max(maxAlign, align[v.type()]);
        }
        return maxAlign;
    }

    /**
     * The target's pointer size, as libbpf's determine_ptr_size finds it: the size of C's {@code long}
     * when the BTF has it, else 8.
     */
    private static int pointerSize(List<BtfType> types) {
        for (BtfType t : types) {
            if (t instanceof BtfType.Int i && (i.size() == 4 || i.size() == 8)) {
                switch (i.name()) {
                    case "long", "long int", "long unsigned int", "unsigned long", "long unsigned", "unsigned long int",
                         "long signed int", "signed long int", "signed long" -> {
                        return (int) i.size();
                    }
                    default -> {
                    }
                }
            }
        }
        return 8;
    }

    private BtfFormatException error(BtfType t, String problem) {
        return new BtfFormatException(offsets[t.id()], t.kind() + " " + t.id() + (t.name().isEmpty() ? "" : " '" + t.name() + "'") + ": " + problem);
    }
}
