package io.bpfmapd.btf;

import io.bpfmapd.btf.BtfType.Composite;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * BTF types as C declarations, in the shape of {@code bpftool btf dump ... format c}: the header guard and
 * the preserve_access_index pragma around the definitions each root needs, in an order a C compiler
 * takes. A port of libbpf's BTF-to-C converter (tools/lib/bpf/btf_dump.c, btf_dump__dump_type): its
 * topological order with forward declarations for types reached through pointers, anonymous types
 * inline, bitfields, {@code long: N;} padding, packed structs and {@code ___N} suffixes for clashing names.
 */
public final class BtfCFormat {

    private static final String HEADER = """
            #ifndef __VMLINUX_H__
            #define __VMLINUX_H__

            #ifndef BPF_NO_PRESERVE_ACCESS_INDEX
            #pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
            #endif

            """;
    private static final String FOOTER = """
            #ifndef BPF_NO_PRESERVE_ACCESS_INDEX
            #pragma clang attribute pop
            #endif

            #endif /* __VMLINUX_H__ */
            """;
    /** How deep types may nest before the output is refused: keeps the recursion of libbpf's algorithm off the stack's end. */
    private static final int MAX_DEPTH = 256;
    /**
     * The most characters the declarations may take. C's text can be far larger than the BTF: a 4 GiB
     * struct pads with half a billion {@code long: 64;} lines, and an anonymous struct is written out
     * wherever it is used, so nested ones multiply.
     */
    static final int MAX_CHARS = 4 << 20;

    private static final byte NOT_ORDERED = 0;
    private static final byte ORDERING = 1;
    private static final byte ORDERED = 2;
    private static final byte NOT_EMITTED = 0;
    private static final byte EMITTING = 1;
    private static final byte EMITTED = 2;

    private final Btf btf;
    private final StringBuilder out = new StringBuilder();
    private final int ptrBits;
    private final byte[] orderState;
    private final byte[] emitState;
    private final boolean[] fwdEmitted;
    private final boolean[] nameResolved;
    private final boolean[] referenced;
    private final String[] cachedNames;
    private final Map<String, Integer> typeNames = new HashMap<>();
    private final Map<String, Integer> identNames = new HashMap<>();
    private int[] emitQueue = new int[16];
    private int emitQueueCount;
    private int[] declStack = new int[16];
    private int declStackCount;
    private int depth;
    private long steps;

    private BtfCFormat(Btf btf) {
        this.btf = btf;
        int n = btf.types().size();
        this.ptrBits = btf.pointerSize() * 8;
        this.orderState = new byte[n];
        this.emitState = new byte[n];
        this.fwdEmitted = new boolean[n];
        this.nameResolved = new boolean[n];
        this.referenced = new boolean[n];
        this.cachedNames = new String[n];
        orderState[0] = ORDERED;
        emitState[0] = EMITTED;
        for (BtfType t : btf.types()) {
            markReferenced(t);
        }
    }

    /**
     * The C declarations of {@code roots} and every type they need, in bpftool's file shape.
     *
     * @throws IllegalArgumentException for a type cycle C cannot declare (an anonymous struct that
     *                                  points to itself), types nested deeper than 256 levels, or
     *                                  declarations that would exceed {@value #MAX_CHARS} characters
     */
    public static String format(Btf btf, int... roots) {
        BtfCFormat f = new BtfCFormat(btf);
        f.out.append(HEADER);
        for (int root : roots) {
            btf.type(root);
            f.dumpType(root);
        }
        return f.out.append(FOOTER).toString();
    }

    /**
     * The C declaration of {@code name} as a value of type {@code id}, as libbpf's btf_dump__emit_type_decl
     * writes it: {@code char comm[16]}, {@code struct stats totals}, {@code volatile const __u32 version}
     * (qualifiers innermost first, as libbpf pops them; {@code bpftool gen skeleton} declares variables so, with
     * qualifiers stripped); with an empty name, the type's own name ({@code char[16]}). An anonymous struct or
     * union is written out inline.
     *
     * @throws IllegalArgumentException for an unknown id, or types nested deeper than 256 levels or
     *                                  longer than {@value #MAX_CHARS} characters
     */
    public static String declaration(Btf btf, int id, String name) {
        BtfCFormat f = new BtfCFormat(btf);
        btf.type(id);
        f.emitTypeDecl(id, name, 0);
        return f.out.toString();
    }

    private void dumpType(int id) {
        emitQueueCount = 0;
        orderType(id, false);
        for (int i = 0; i < emitQueueCount; i++) {
            emitType(emitQueue[i], 0);
        }
    }

    private void markReferenced(BtfType t) {
        switch (t) {
            case BtfType.Ptr p -> referenced[p.type()] = true;
            case BtfType.Alias a -> referenced[a.type()] = true;
            case BtfType.Func f -> referenced[f.type()] = true;
            case BtfType.Var v -> referenced[v.type()] = true;
            case BtfType.DeclTag d -> referenced[d.type()] = true;
            case BtfType.Array a -> {
                referenced[a.indexType()] = true;
                referenced[a.type()] = true;
            }
            case Composite c -> c.members().forEach(m -> referenced[m.type()] = true);
            case BtfType.FuncProto p -> p.params().forEach(param -> referenced[param.type()] = true);
            case BtfType.Datasec d -> d.vars().forEach(v -> referenced[v.type()] = true);
            default -> {
            }
        }
    }

    private void enqueue(int id) {
        if (emitQueueCount == emitQueue.length) {
            emitQueue = Arrays.copyOf(emitQueue, emitQueue.length * 2);
        }
        emitQueue[emitQueueCount++] = id;
    }

    /**
     * One step of the walk, which is also bounded: an anonymous type is walked again wherever it is used
     * (as libbpf walks it), so nested ones would multiply the work even before any text is written.
     */
    private void enter() {
        if (++steps > MAX_CHARS) {
            throw new IllegalArgumentException("the C declarations would exceed " + MAX_CHARS + " steps to write");
        }
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("types nest deeper than " + MAX_DEPTH + " levels: too deep to print as C");
        }
    }

    /** btf_dump_order_type: 1 for a strong link (a definition must come first), 0 for a weak one. */
    private int orderType(int id, boolean throughPtr) {
        if (orderState[id] == ORDERED) {
            return 1;
        }
        BtfType t = btf.type(id);
        if (orderState[id] == ORDERING) {
            if (t instanceof Composite && throughPtr && !t.name().isEmpty()) {
                return 0;
            }
            throw new IllegalArgumentException("unsatisfiable type cycle at type " + id);
        }
        enter();
        try {
            switch (t) {
                case BtfType.Int i -> {
                    orderState[id] = ORDERED;
                    return 0;
                }
                case BtfType.Float f -> {
                    orderState[id] = ORDERED;
                    return 0;
                }
                case BtfType.Ptr p -> {
                    int strong = orderType(p.type(), true);
                    orderState[id] = ORDERED;
                    return strong;
                }
                case BtfType.Array a -> {
                    return orderType(a.type(), false);
                }
                case Composite c -> {
                    if (throughPtr && !c.name().isEmpty()) {
                        return 0;
                    }
                    orderState[id] = ORDERING;
                    for (BtfType.Member m : c.members()) {
                        orderType(m.type(), false);
                    }
                    if (!c.name().isEmpty()) {
                        enqueue(id);
                    }
                    orderState[id] = ORDERED;
                    return 1;
                }
                case BtfType.Enumeration e -> {
                    return orderDeclaration(id, t);
                }
                case BtfType.Fwd f -> {
                    return orderDeclaration(id, t);
                }
                case BtfType.Typedef td -> {
                    int strong = orderType(td.type(), throughPtr);
                    if (throughPtr && strong == 0) {
                        return 0;
                    }
                    enqueue(id);
                    orderState[id] = ORDERED;
                    return 1;
                }
                case BtfType.Alias a -> {
                    return orderType(a.type(), throughPtr);
                }
                case BtfType.FuncProto p -> {
                    boolean strong = orderType(p.returnType(), throughPtr) > 0;
                    for (BtfType.Param param : p.params()) {
                        strong |= orderType(param.type(), throughPtr) > 0;
                    }
                    return strong ? 1 : 0;
                }
                default -> {
                    orderState[id] = ORDERED;
                    return 0;
                }
            }
        } finally {
            depth--;
        }
    }

    /** A named or unreferenced enum, or a forward declaration, is a top-level declaration of its own. */
    private int orderDeclaration(int id, BtfType t) {
        if (!t.name().isEmpty() || !referenced[id]) {
            enqueue(id);
        }
        orderState[id] = ORDERED;
        return 1;
    }

    /** btf_dump_emit_type: the type's definition, after forward declarations of what it refers to. */
    private void emitType(int id, int contId) {
        if (emitState[id] == EMITTED) {
            return;
        }
        BtfType t = btf.type(id);
        boolean topLevel = contId == 0;
        if (emitState[id] == EMITTING) {
            if (fwdEmitted[id]) {
                return;
            }
            if (t instanceof Composite c) {
                if (id == contId || c.name().isEmpty()) {
                    return;
                }
                emitStructFwd(id, c);
                out.append(";\n\n");
                fwdEmitted[id] = true;
            } else if (t instanceof BtfType.Typedef td) {
                if (!blacklisted(td)) {
                    emitTypedefDef(id, td, 0);
                    out.append(";\n\n");
                }
                fwdEmitted[id] = true;
            }
            return;
        }
        enter();
        try {
            switch (t) {
                case BtfType.Int i -> {
                    emitMissingAliases(id);
                    emitState[id] = EMITTED;
                }
                case BtfType.Enumeration e -> {
                    if (topLevel) {
                        emitEnumDef(id, e, 0);
                        out.append(";\n\n");
                    }
                    emitState[id] = EMITTED;
                }
                case BtfType.Ptr p -> emitType(p.type(), contId);
                case BtfType.Typedef td -> {
                    emitState[id] = EMITTING;
                    emitType(td.type(), id);
                    if (!fwdEmitted[id] && !blacklisted(td)) {
                        emitTypedefDef(id, td, 0);
                        out.append(";\n\n");
                    }
                    emitState[id] = EMITTED;
                }
                case BtfType.Alias a -> emitType(a.type(), contId);
                case BtfType.Array a -> emitType(a.type(), contId);
                case BtfType.Fwd f -> {
                    emitFwdDef(id, f);
                    out.append(";\n\n");
                    emitState[id] = EMITTED;
                }
                case Composite c -> {
                    emitState[id] = EMITTING;
                    if (topLevel || c.name().isEmpty()) {
                        int newContId = c.name().isEmpty() ? contId : id;
                        for (BtfType.Member m : c.members()) {
                            emitType(m.type(), newContId);
                        }
                    } else if (!fwdEmitted[id] && id != contId) {
                        emitStructFwd(id, c);
                        out.append(";\n\n");
                        fwdEmitted[id] = true;
                    }
                    if (topLevel) {
                        emitStructDef(id, c, 0);
                        out.append(";\n\n");
                        emitState[id] = EMITTED;
                    } else {
                        emitState[id] = NOT_EMITTED;
                    }
                }
                case BtfType.FuncProto p -> {
                    emitType(p.returnType(), contId);
                    for (BtfType.Param param : p.params()) {
                        emitType(param.type(), contId);
                    }
                }
                default -> {
                }
            }
        } finally {
            depth--;
        }
    }

    /** __builtin_va_list is the compiler's own (btf_dump_is_blacklisted). */
    private static boolean blacklisted(BtfType t) {
        return t.name().equals("__builtin_va_list");
    }

    private void emitMissingAliases(int id) {
        String name = typeName(id);
        String base = switch (name) {
            case "__Poly8_t" -> "unsigned char";
            case "__Poly16_t" -> "unsigned short";
            case "__Poly64_t" -> "unsigned long long";
            case "__Poly128_t" -> "unsigned __int128";
            default -> null;
        };
        if (base != null) {
            out.append("typedef ").append(base).append(' ').append(name).append(";\n\n");
        }
    }

    /** btf_is_struct_packed: a member off its natural alignment, or a size not a multiple of it. */
    private boolean packed(Composite c) {
        int maxAlign = 1;
        for (BtfType.Member m : c.members()) {
            int align = btf.hasSize(m.type()) ? btf.alignOf(m.type()) : 0;
            if (align != 0 && m.bitfieldSize() == 0 && m.bitOffset() % (8L * align) != 0) {
                return true;
            }
            maxAlign = Math.max(align, maxAlign);
        }
        return c.size() % maxAlign != 0;
    }

    /** btf_dump_emit_bit_padding: {@code long: N;} and the like for a gap between members. */
    private void emitBitPadding(long curOff, long nextOff, int nextAlign, boolean inBitfield, int lvl) {
        String[] names = {"long", "int", "short", "char"};
        int[] bitsOf = {ptrBits, 32, 16, 8};
        if (curOff >= nextOff) {
            return;
        }
        long newOff = 0;
        int padBits = 0;
        String padType = null;
        for (int i = 0; i < names.length; i++) {
            padBits = bitsOf[i];
            padType = names[i];
            newOff = roundUp(curOff, padBits);
            if (newOff <= nextOff) {
                break;
            }
        }
        if (newOff > curOff && newOff <= nextOff) {
            if (inBitfield
                    || (newOff == nextOff && roundUp(curOff, nextAlign * 8L) != newOff)
                    || (newOff != nextOff && nextOff - newOff <= newOff - curOff)) {
                out.append('\n').append(pfx(lvl)).append(padType).append(": ").append(inBitfield ? newOff - curOff : 0).append(';');
            }
            curOff = newOff;
        }
        while (curOff != nextOff) {
            checkSize();
            long bits = Math.min(nextOff - curOff, padBits);
            if (bits == padBits) {
                out.append('\n').append(pfx(lvl)).append(padType).append(": ").append(padBits).append(';');
                curOff += bits;
                continue;
            }
            for (int i = names.length - 1; i >= 0; i--) {
                padType = names[i];
                padBits = bitsOf[i];
                if (padBits < bits) {
                    continue;
                }
                out.append('\n').append(pfx(lvl)).append(padType).append(": ").append(bits).append(';');
                curOff += bits;
                break;
            }
        }
    }

    private void checkSize() {
        if (out.length() > MAX_CHARS) {
            throw new IllegalArgumentException("the C declarations would exceed " + MAX_CHARS + " characters");
        }
    }

    private static long roundUp(long value, long to) {
        return to == 0 ? value : (value + to - 1) / to * to;
    }

    private void emitStructFwd(int id, Composite c) {
        out.append(c instanceof BtfType.Struct ? "struct" : "union").append(c.name().isEmpty() ? "" : " ").append(typeName(id));
    }

    private void emitStructDef(int id, Composite c, int lvl) {
        boolean isStruct = c instanceof BtfType.Struct;
        int align = btf.alignOf(id);
        boolean packed = isStruct && packed(c);
        boolean prevBitfield = false;
        long off = 0;
        out.append(isStruct ? "struct" : "union").append(c.name().isEmpty() ? "" : " ").append(typeName(id)).append(" {");
        for (BtfType.Member m : c.members()) {
            checkSize();
            int mSize = m.bitfieldSize();
            long mOff = m.bitOffset();
            int mAlign = packed ? 1 : btf.hasSize(m.type()) ? btf.alignOf(m.type()) : 0;
            boolean inBitfield = prevBitfield && mSize != 0;
            emitBitPadding(off, mOff, mAlign, inBitfield, lvl + 1);
            out.append('\n').append(pfx(lvl + 1));
            emitTypeDecl(m.type(), m.name(), lvl + 1);
            if (mSize != 0) {
                out.append(": ").append(mSize);
                off = mOff + mSize;
                prevBitfield = true;
            } else {
                off = mOff + (btf.hasSize(m.type()) ? btf.sizeOf(m.type()) : 0) * 8;
                prevBitfield = false;
            }
            out.append(';');
        }
        if (isStruct) {
            emitBitPadding(off, c.size() * 8, align, false, lvl + 1);
        }
        if (!c.members().isEmpty() || c.size() != 0) {
            out.append('\n').append(pfx(lvl)).append('}');
        } else {
            out.append('}');
        }
        if (packed) {
            out.append(" __attribute__((packed))");
        }
    }

    private void emitEnumDef(int id, BtfType.Enumeration e, int lvl) {
        out.append("enum").append(e.name().isEmpty() ? "" : " ").append(typeName(id));
        if (e.values().isEmpty()) {
            return;
        }
        out.append(" {");
        boolean is64 = e instanceof BtfType.Enum64;
        for (BtfType.EnumValue v : e.values()) {
            int dups = nameDups(identNames, v.name());
            out.append('\n').append(pfx(lvl + 1)).append(v.name());
            if (dups > 1) {
                out.append("___").append(dups);
            }
            out.append(" = ");
            if (is64) {
                out.append(e.signed() ? Long.toString(v.value()) + "LL" : Long.toUnsignedString(v.value()) + "ULL");
            } else {
                out.append(e.signed() ? Integer.toString((int) v.value()) : Integer.toUnsignedString((int) v.value()));
            }
            out.append(',');
        }
        out.append('\n').append(pfx(lvl)).append('}');
        if (e.size() == 1) {
            out.append(" __attribute__((mode(byte)))");
        } else if (e.size() == 8 && ptrBits == 64) {
            boolean needsWordMode = !is64 || e.values().stream().allMatch(v -> v.value() >>> 32 == 0);
            if (needsWordMode) {
                out.append(" __attribute__((mode(word)))");
            }
        }
    }

    private void emitFwdDef(int id, BtfType.Fwd f) {
        out.append(f.union() ? "union " : "struct ").append(typeName(id));
    }

    private void emitTypedefDef(int id, BtfType.Typedef td, int lvl) {
        String name = identName(id);
        if (td.type() == 0 && name.equals("__gnuc_va_list")) {
            out.append("typedef __builtin_va_list __gnuc_va_list");
            return;
        }
        out.append("typedef ");
        emitTypeDecl(td.type(), name, lvl);
    }

    /** btf_dump_emit_type_decl: push the chain down to its terminal type, then print it in C's order. */
    private void emitTypeDecl(int id, String fname, int lvl) {
        enter();
        try {
            int stackStart = declStackCount;
            while (true) {
                push(id);
                if (id == 0) {
                    break;
                }
                BtfType t = btf.type(id);
                boolean terminal = switch (t) {
                    case BtfType.Ptr p -> {
                        id = p.type();
                        yield false;
                    }
                    case BtfType.Typedef td -> true;
                    case BtfType.Alias a -> {
                        id = a.type();
                        yield false;
                    }
                    case BtfType.FuncProto p -> {
                        id = p.returnType();
                        yield false;
                    }
                    case BtfType.Array a -> {
                        id = a.type();
                        yield false;
                    }
                    default -> true;
                };
                if (terminal) {
                    break;
                }
            }
            int[] frame = Arrays.copyOfRange(declStack, stackStart, declStackCount);
            emitTypeChain(new Frame(frame), fname, lvl);
            declStackCount = stackStart;
        } finally {
            depth--;
        }
    }

    private void push(int id) {
        if (declStackCount == declStack.length) {
            declStack = Arrays.copyOf(declStack, declStack.length * 2);
        }
        declStack[declStackCount++] = id;
    }

    /** A view of one declaration's chain, popped from its end. */
    private static final class Frame {
        final int[] ids;
        int count;

        Frame(int[] ids) {
            this.ids = ids;
            this.count = ids.length;
        }

        int top() {
            return ids[count - 1];
        }
    }

    private boolean isMod(int id) {
        BtfType t = btf.type(id);
        return t instanceof BtfType.Volatile || t instanceof BtfType.Const || t instanceof BtfType.Restrict
                || t instanceof BtfType.TypeTag;
    }

    private void emitMods(Frame decls) {
        while (decls.count > 0) {
            switch (btf.type(decls.top())) {
                case BtfType.Volatile v -> out.append("volatile ");
                case BtfType.Const c -> out.append("const ");
                case BtfType.Restrict r -> out.append("restrict ");
                default -> {
                    return;
                }
            }
            decls.count--;
        }
    }

    private void dropMods(Frame decls) {
        while (decls.count > 0 && isMod(decls.top())) {
            decls.count--;
        }
    }

    private void emitName(String name, boolean lastWasPtr) {
        out.append(!name.isEmpty() && !lastWasPtr ? " " : "").append(name);
    }

    /** btf_dump_emit_type_chain. */
    private void emitTypeChain(Frame decls, String fname, int lvl) {
        enter();
        try {
            boolean lastWasPtr = true;
            while (decls.count > 0) {
                int id = decls.ids[--decls.count];
                if (id == 0) {
                    emitMods(decls);
                    out.append("void");
                    lastWasPtr = false;
                    continue;
                }
                BtfType t = btf.type(id);
                switch (t) {
                    case BtfType.Int i -> {
                        emitMods(decls);
                        out.append(i.name());
                    }
                    case BtfType.Float f -> {
                        emitMods(decls);
                        out.append(f.name());
                    }
                    case Composite c -> {
                        emitMods(decls);
                        if (c.name().isEmpty()) {
                            emitStructDef(id, c, lvl);
                        } else {
                            emitStructFwd(id, c);
                        }
                    }
                    case BtfType.Enumeration e -> {
                        emitMods(decls);
                        if (e.name().isEmpty()) {
                            emitEnumDef(id, e, lvl);
                        } else {
                            out.append("enum ").append(typeName(id));
                        }
                    }
                    case BtfType.Fwd f -> {
                        emitMods(decls);
                        emitFwdDef(id, f);
                    }
                    case BtfType.Typedef td -> {
                        emitMods(decls);
                        out.append(identName(id));
                    }
                    case BtfType.Ptr p -> out.append(lastWasPtr ? "*" : " *");
                    case BtfType.Volatile v -> out.append(" volatile");
                    case BtfType.Const c -> out.append(" const");
                    case BtfType.Restrict r -> out.append(" restrict");
                    case BtfType.TypeTag tag -> {
                        emitMods(decls);
                        out.append(tag.attribute() ? " __attribute__((" + tag.name() + "))"
                                : " __attribute__((btf_type_tag(\"" + tag.name() + "\")))");
                    }
                    case BtfType.Array a -> {
                        dropMods(decls);
                        if (decls.count == 0) {
                            emitName(fname, lastWasPtr);
                            out.append('[').append(a.nelems()).append(']');
                            return;
                        }
                        boolean multidim = btf.type(decls.top()) instanceof BtfType.Array;
                        if (!fname.isEmpty() && !lastWasPtr) {
                            out.append(' ');
                        }
                        if (!multidim) {
                            out.append('(');
                        }
                        emitTypeChain(decls, fname, lvl);
                        if (!multidim) {
                            out.append(')');
                        }
                        out.append('[').append(a.nelems()).append(']');
                        return;
                    }
                    case BtfType.FuncProto p -> {
                        dropMods(decls);
                        if (decls.count > 0) {
                            out.append(" (");
                            emitTypeChain(decls, fname, lvl);
                            out.append(')');
                        } else {
                            emitName(fname, lastWasPtr);
                        }
                        out.append('(');
                        var params = p.params();
                        if (params.isEmpty() || (params.size() == 1 && params.getFirst().type() == 0)) {
                            out.append("void)");
                            return;
                        }
                        for (int i = 0; i < params.size(); i++) {
                            if (i > 0) {
                                out.append(", ");
                            }
                            if (i == params.size() - 1 && params.get(i).type() == 0) {
                                out.append("...");
                                break;
                            }
                            emitTypeDecl(params.get(i).type(), params.get(i).name(), lvl);
                        }
                        out.append(')');
                        return;
                    }
                    default -> {
                        return;
                    }
                }
                lastWasPtr = t instanceof BtfType.Ptr;
            }
            emitName(fname, lastWasPtr);
        } finally {
            depth--;
        }
    }

    private static int nameDups(Map<String, Integer> names, String name) {
        return names.merge(name, 1, Integer::sum);
    }

    private String typeName(int id) {
        return resolveName(id, typeNames);
    }

    private String identName(int id) {
        return resolveName(id, identNames);
    }

    /** btf_dump_resolve_name: a name's second definition becomes {@code name___2}, and so on. */
    private String resolveName(int id, Map<String, Integer> names) {
        BtfType t = btf.type(id);
        if (t.name().isEmpty()) {
            return "";
        }
        if (nameResolved[id]) {
            return cachedNames[id] != null ? cachedNames[id] : t.name();
        }
        if (t instanceof BtfType.Fwd || (t instanceof BtfType.Enum e && e.values().isEmpty())) {
            nameResolved[id] = true;
            return t.name();
        }
        int dups = nameDups(names, t.name());
        if (dups > 1) {
            cachedNames[id] = t.name() + "___" + dups;
        }
        nameResolved[id] = true;
        return cachedNames[id] != null ? cachedNames[id] : t.name();
    }

    private static String pfx(int lvl) {
        return "\t".repeat(Math.min(lvl, 13));
    }
}
