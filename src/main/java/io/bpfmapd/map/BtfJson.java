package io.bpfmapd.map;

import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfType;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of BTF types: each type an object with its {@code id}, {@code kind} (the uapi name), {@code name}
 * and the fields of its kind, named as {@link BtfType}'s records name them; types refer to each other by
 * id. The reader stays free of JSON; this is its one JSON shape.
 */
final class BtfJson {

    private BtfJson() {
    }

    /** The types reachable from {@code roots} (through members, elements, pointers, parameters...), by id. */
    static List<Map<String, Object>> reachable(Btf btf, int... roots) {
        BitSet seen = new BitSet();
        Deque<Integer> todo = new ArrayDeque<>();
        for (int root : roots) {
            todo.add(root);
        }
        while (!todo.isEmpty()) {
            int id = todo.poll();
            if (id == 0 || seen.get(id)) {
                continue;
            }
            seen.set(id);
            refs(btf.type(id), todo);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        seen.stream().forEach(id -> out.add(of(btf, btf.type(id))));
        return out;
    }

    private static void refs(BtfType t, Deque<Integer> todo) {
        switch (t) {
            case BtfType.Ptr p -> todo.add(p.type());
            case BtfType.Alias a -> todo.add(a.type());
            case BtfType.Array a -> {
                todo.add(a.type());
                todo.add(a.indexType());
            }
            case BtfType.Composite c -> c.members().forEach(m -> todo.add(m.type()));
            case BtfType.Func f -> todo.add(f.type());
            case BtfType.FuncProto p -> {
                todo.add(p.returnType());
                p.params().forEach(param -> todo.add(param.type()));
            }
            case BtfType.Var v -> todo.add(v.type());
            case BtfType.Datasec d -> d.vars().forEach(v -> todo.add(v.type()));
            case BtfType.DeclTag d -> todo.add(d.type());
            default -> {
            }
        }
    }

    static Map<String, Object> of(Btf btf, BtfType t) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", t.id());
        o.put("kind", t.kind().name());
        o.put("name", t.name());
        if (btf.hasSize(t.id())) {
            o.put("size", btf.sizeOf(t.id()));
            o.put("alignment", btf.alignOf(t.id()));
        }
        switch (t) {
            case BtfType.Int i -> {
                o.put("encoding", i.encoding().name());
                o.put("bitOffset", i.bitOffset());
                o.put("bits", i.bits());
            }
            case BtfType.Ptr p -> o.put("type", p.type());
            case BtfType.TypeTag tag -> {
                o.put("type", tag.type());
                o.put("attribute", tag.attribute());
            }
            case BtfType.Alias a -> o.put("type", a.type());
            case BtfType.Array a -> {
                o.put("type", a.type());
                o.put("indexType", a.indexType());
                o.put("nelems", a.nelems());
            }
            case BtfType.Composite c -> o.put("members", c.members().stream().map(m -> {
                Map<String, Object> mo = new LinkedHashMap<>();
                mo.put("name", m.name());
                mo.put("type", m.type());
                mo.put("bitOffset", m.bitOffset());
                mo.put("bitfieldSize", m.bitfieldSize());
                return mo;
            }).toList());
            case BtfType.Enumeration e -> {
                o.put("signed", e.signed());
                o.put("values", e.values().stream().map(v -> Map.of("name", v.name(), "value",
                        e.signed() ? BigInteger.valueOf(v.value()) : new BigInteger(Long.toUnsignedString(v.value())))).toList());
            }
            case BtfType.Fwd f -> o.put("union", f.union());
            case BtfType.Func f -> {
                o.put("type", f.type());
                o.put("linkage", f.linkage().name());
            }
            case BtfType.FuncProto p -> {
                o.put("returnType", p.returnType());
                o.put("params", p.params().stream().map(x -> Map.of("name", x.name(), "type", x.type())).toList());
            }
            case BtfType.Var v -> {
                o.put("type", v.type());
                o.put("linkage", v.linkage().name());
            }
            case BtfType.Datasec d -> o.put("vars", d.vars().stream()
                    .map(v -> Map.of("type", v.type(), "offset", v.offset(), "size", v.size())).toList());
            case BtfType.DeclTag d -> {
                o.put("type", d.type());
                o.put("componentIdx", d.componentIdx());
                o.put("attribute", d.attribute());
            }
            case BtfType.Float f -> {
            }
            case BtfType.Void v -> {
            }
        }
        return o;
    }
}
