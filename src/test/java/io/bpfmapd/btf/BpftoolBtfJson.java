package io.bpfmapd.btf;

import io.bpfmapd.btf.BtfType.EnumValue;
import io.bpfmapd.btf.BtfType.Linkage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * A {@link BtfType} in the shape of one entry of {@code bpftool btf dump file ... -j} (bpftool 7.1,
 * tools/bpf/bpftool/btf.c dump_btf_type): field names, "(anon)" for no name, the encodings and linkages
 * as bpftool spells them. The test's only translation: what it compares is the reader's model itself.
 */
public final class BpftoolBtfJson {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Numbers equal by value (bpftool's u32 and our long), everything else by equals. */
    public static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.bigIntegerValue().compareTo(b.bigIntegerValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private BpftoolBtfJson() {
    }

    public static ObjectNode of(BtfType t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", t.id());
        o.put("kind", t.kind().name());
        o.put("name", name(t.name()));
        switch (t) {
            case BtfType.Int i -> {
                o.put("size", i.size());
                o.put("bits_offset", i.bitOffset());
                o.put("nr_bits", i.bits());
                o.put("encoding", switch (i.encoding()) {
                    case NONE -> "(none)";
                    case SIGNED -> "SIGNED";
                    case CHAR -> "CHAR";
                    case BOOL -> "BOOL";
                });
            }
            case BtfType.Ptr p -> o.put("type_id", p.type());
            case BtfType.Alias a -> o.put("type_id", a.type());
            case BtfType.Array a -> {
                o.put("type_id", a.type());
                o.put("index_type_id", a.indexType());
                o.put("nr_elems", a.nelems());
            }
            case BtfType.Composite c -> {
                o.put("size", c.size());
                o.put("vlen", c.members().size());
                ArrayNode members = o.putArray("members");
                for (BtfType.Member m : c.members()) {
                    ObjectNode mo = members.addObject();
                    mo.put("name", name(m.name()));
                    mo.put("type_id", m.type());
                    mo.put("bits_offset", m.bitOffset());
                    if (m.bitfieldSize() != 0) {
                        mo.put("bitfield_size", m.bitfieldSize());
                    }
                }
            }
            case BtfType.Enumeration e -> {
                o.put("encoding", e.signed() ? "SIGNED" : "UNSIGNED");
                o.put("size", e.size());
                o.put("vlen", e.values().size());
                ArrayNode values = o.putArray("values");
                for (EnumValue v : e.values()) {
                    ObjectNode vo = values.addObject();
                    vo.put("name", name(v.name()));
                    vo.put("val", bpftoolValue(e, v.value()));
                }
            }
            case BtfType.Fwd f -> o.put("fwd_kind", f.union() ? "union" : "struct");
            case BtfType.Func f -> {
                o.put("type_id", f.type());
                o.put("linkage", linkage(f.linkage()));
            }
            case BtfType.FuncProto p -> {
                o.put("ret_type_id", p.returnType());
                o.put("vlen", p.params().size());
                ArrayNode params = o.putArray("params");
                for (BtfType.Param param : p.params()) {
                    ObjectNode po = params.addObject();
                    po.put("name", name(param.name()));
                    po.put("type_id", param.type());
                }
            }
            case BtfType.Var v -> {
                o.put("type_id", v.type());
                o.put("linkage", linkage(v.linkage()));
            }
            case BtfType.Datasec d -> {
                o.put("size", d.size());
                o.put("vlen", d.vars().size());
                ArrayNode vars = o.putArray("vars");
                for (BtfType.VarSecinfo v : d.vars()) {
                    ObjectNode vo = vars.addObject();
                    vo.put("type_id", v.type());
                    vo.put("offset", v.offset());
                    vo.put("size", v.size());
                }
            }
            case BtfType.Float f -> o.put("size", f.size());
            case BtfType.DeclTag tag -> {
                o.put("type_id", tag.type());
                o.put("component_idx", tag.componentIdx());
            }
            case BtfType.Void v -> {
            }
        }
        return o;
    }

    /**
     * bpftool 7.1 prints an unsigned ENUM's value as {@code jsonw_uint_field(w, "val", v->val)} where
     * {@code val} is the {@code __s32} of struct btf_enum: sign-extended to 64 bits, so 0x80000000 prints as
     * 18446744071562067968. The reader keeps the kernel's 32-bit value; this is bpftool's printing.
     */
    private static BigInteger bpftoolValue(BtfType.Enumeration e, long value) {
        if (e.signed()) {
            return BigInteger.valueOf(value);
        }
        long printed = e instanceof BtfType.Enum ? (long) (int) value : value;
        return new BigInteger(Long.toUnsignedString(printed));
    }

    private static String name(String name) {
        return name.isEmpty() ? "(anon)" : name;
    }

    /** bpftool's btf_func_linkage_str and btf_var_linkage_str spell both alike. */
    private static String linkage(Linkage linkage) {
        return switch (linkage) {
            case STATIC -> "static";
            case GLOBAL -> "global";
            case EXTERN -> "extern";
        };
    }
}
