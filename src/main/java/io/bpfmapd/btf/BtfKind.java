package io.bpfmapd.btf;

/** The kinds of {@code enum BTF_KIND_*} (include/uapi/linux/btf.h), by the number in {@code btf_type.info}. */
public enum BtfKind {
    /** Type id 0 only: void. Never found in a blob (kind 0 there is malformed). */
    VOID,
    INT,
    PTR,
    ARRAY,
    STRUCT,
    UNION,
    ENUM,
    FWD,
    TYPEDEF,
    VOLATILE,
    CONST,
    RESTRICT,
    FUNC,
    FUNC_PROTO,
    VAR,
    DATASEC,
    FLOAT,
    DECL_TAG,
    TYPE_TAG,
    ENUM64;

    private static final BtfKind[] BY_NUMBER = values();

    /** The kernel's number, {@code BTF_INFO_KIND(info)}. */
    public int number() {
        return ordinal();
    }

    /** The kind of {@code BTF_INFO_KIND(info)}, or null for a number this reader does not know. */
    static BtfKind ofNumber(int number) {
        return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }
}
