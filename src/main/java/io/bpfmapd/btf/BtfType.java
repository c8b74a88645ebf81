package io.bpfmapd.btf;

import java.util.List;

/**
 * One BTF type, as {@code struct btf_type} and the data that follows it describe it
 * (include/uapi/linux/btf.h). Types refer to each other by type id (an index into {@link Btf#types()}),
 * never by reference, so a graph with cycles through pointers is plain data; {@link Btf} resolves ids,
 * sizes and alignments. Names are "" when anonymous. Sizes, offsets and element counts are the
 * kernel's {@code __u32}, held in a {@code long}.
 */
public sealed interface BtfType {

    int id();

    BtfKind kind();

    /** The name ("" when anonymous; for DECL_TAG and TYPE_TAG, the tag's text). */
    String name();

    /** A type that only qualifies the one it points to: TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG. */
    sealed interface Alias extends BtfType {
        /** The qualified type's id. */
        int type();
    }

    /** STRUCT or UNION. */
    sealed interface Composite extends BtfType {
        long size();

        List<Member> members();

        /** {@code kind_flag}: each member's offset holds a bitfield size in its top 8 bits. */
        boolean kindFlag();
    }

    /** ENUM or ENUM64. */
    sealed interface Enumeration extends BtfType {
        long size();

        /** {@code kind_flag}: the values are signed. */
        boolean signed();

        /** The values; each is the raw 64 bits, unsigned unless {@link #signed()}. */
        List<EnumValue> values();
    }

    /** The void type, id 0; it is not in the blob. */
    record Void() implements BtfType {
        public int id() {
            return 0;
        }

        public BtfKind kind() {
            return BtfKind.VOID;
        }

        public String name() {
            return "";
        }
    }

    /**
     * An integer of {@code size} bytes whose value is {@code bits} bits starting at bit {@code bitOffset}
     * (a bitfield, in BTF before kind_flag; 0 and size*8 for any ordinary integer).
     */
    record Int(int id, String name, long size, IntEncoding encoding, int bitOffset, int bits) implements BtfType {
        public BtfKind kind() {
            return BtfKind.INT;
        }
    }

    record Ptr(int id, int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.PTR;
        }

        public String name() {
            return "";
        }
    }

    record Array(int id, int type, int indexType, long nelems) implements BtfType {
        public BtfKind kind() {
            return BtfKind.ARRAY;
        }

        public String name() {
            return "";
        }
    }

    record Struct(int id, String name, long size, boolean kindFlag, List<Member> members) implements Composite {
        public BtfKind kind() {
            return BtfKind.STRUCT;
        }
    }

    record Union(int id, String name, long size, boolean kindFlag, List<Member> members) implements Composite {
        public BtfKind kind() {
            return BtfKind.UNION;
        }
    }

    record Enum(int id, String name, long size, boolean signed, List<EnumValue> values) implements Enumeration {
        public BtfKind kind() {
            return BtfKind.ENUM;
        }
    }

    record Enum64(int id, String name, long size, boolean signed, List<EnumValue> values) implements Enumeration {
        public BtfKind kind() {
            return BtfKind.ENUM64;
        }
    }

    /** A forward declaration of a struct, or of a union when {@code union} (the kind_flag). */
    record Fwd(int id, String name, boolean union) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FWD;
        }
    }

    record Typedef(int id, String name, int type) implements Alias {
        public BtfKind kind() {
            return BtfKind.TYPEDEF;
        }
    }

    record Volatile(int id, int type) implements Alias {
        public BtfKind kind() {
            return BtfKind.VOLATILE;
        }

        public String name() {
            return "";
        }
    }

    record Const(int id, int type) implements Alias {
        public BtfKind kind() {
            return BtfKind.CONST;
        }

        public String name() {
            return "";
        }
    }

    record Restrict(int id, int type) implements Alias {
        public BtfKind kind() {
            return BtfKind.RESTRICT;
        }

        public String name() {
            return "";
        }
    }

    /** {@code attribute} is the kind_flag: the tag is an {@code __attribute__} rather than a btf_type_tag. */
    record TypeTag(int id, String name, int type, boolean attribute) implements Alias {
        public BtfKind kind() {
            return BtfKind.TYPE_TAG;
        }
    }

    /** A function; {@code type} is its FUNC_PROTO. */
    record Func(int id, String name, int type, Linkage linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FUNC;
        }
    }

    /** {@code returnType} 0 is void; a last parameter with type 0 and no name is C's "...". */
    record FuncProto(int id, int returnType, List<Param> params) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FUNC_PROTO;
        }

        public String name() {
            return "";
        }
    }

    /** A global variable; its place in memory is a {@link VarSecinfo} of a DATASEC. */
    record Var(int id, String name, int type, Linkage linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.VAR;
        }
    }

    /** An ELF section of variables ({@code .bss}, {@code .data}, {@code .rodata}, ...): a map value of libbpf's. */
    record Datasec(int id, String name, long size, List<VarSecinfo> vars) implements BtfType {
        public BtfKind kind() {
            return BtfKind.DATASEC;
        }
    }

    record Float(int id, String name, long size) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FLOAT;
        }
    }

    /**
     * A tag on {@code type}, or on its member or parameter {@code componentIdx} (-1: the type itself);
     * {@code attribute} is the kind_flag.
     */
    record DeclTag(int id, String name, int type, int componentIdx, boolean attribute) implements BtfType {
        public BtfKind kind() {
            return BtfKind.DECL_TAG;
        }
    }

    /**
     * A member of a STRUCT or UNION at bit {@code bitOffset}; {@code bitfieldSize} is its width in bits
     * when it is a bitfield declared with kind_flag, else 0.
     */
    record Member(String name, int type, long bitOffset, int bitfieldSize) {
    }

    record EnumValue(String name, long value) {
    }

    /** A FUNC_PROTO parameter. */
    record Param(String name, int type) {
    }

    /** A variable (VAR {@code type}) of a DATASEC: {@code size} bytes at {@code offset} of the section. */
    record VarSecinfo(int type, long offset, long size) {
    }

    /** BTF_INT_ENCODING: at most one of SIGNED, CHAR and BOOL (kernel/bpf/btf.c btf_int_check_meta). */
    enum IntEncoding {
        NONE(0), SIGNED(1), CHAR(2), BOOL(4);

        private final int bits;

        IntEncoding(int bits) {
            this.bits = bits;
        }

        /** The value of BTF_INT_ENCODING: 0 or one of BTF_INT_SIGNED, BTF_INT_CHAR, BTF_INT_BOOL. */
        public int bits() {
            return bits;
        }
    }

    /** FUNC linkage ({@code enum btf_func_linkage}, in vlen) and VAR linkage ({@code struct btf_var}): 0, 1, 2. */
    enum Linkage {
        STATIC, GLOBAL, EXTERN
    }
}
