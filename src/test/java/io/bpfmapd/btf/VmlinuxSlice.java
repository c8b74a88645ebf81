package io.bpfmapd.btf;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * A small, complete BTF cut from the kernel's: the types some roots are made of and point to, renumbered
 * from 1 and written as a blob of their own. Real-world shapes (anonymous unions, kind_flag bitfields,
 * typedef chains) at a size a fuzzer can mutate thousands of times a second.
 */
final class VmlinuxSlice {

    /** Roots whose closure is small: uapi structs without pointers, and headers with bitfields. */
    static final List<String> ROOTS = List.of("bpf_attr", "bpf_map_info", "iphdr", "tcphdr", "bpf_spin_lock", "bpf_timer");

    private VmlinuxSlice() {
    }

    static byte[] of(Btf btf, List<String> roots) {
        return BtfWriter.write(types(btf, roots), ByteOrder.LITTLE_ENDIAN);
    }

    /** The slice's types, renumbered: the first root found is type 1. */
    static List<BtfType> types(Btf btf, List<String> roots) {
        Map<Integer, Integer> newIds = new HashMap<>();
        List<BtfType> order = new ArrayList<>();
        Deque<Integer> todo = new ArrayDeque<>();
        for (String root : roots) {
            btf.types().stream().filter(t -> t.name().equals(root)
                            && (t.kind() == BtfKind.STRUCT || t.kind() == BtfKind.UNION || t.kind() == BtfKind.ENUM))
                    .findFirst().ifPresent(t -> todo.add(t.id()));
        }
        newIds.put(0, 0);
        while (!todo.isEmpty()) {
            int id = todo.poll();
            if (newIds.containsKey(id)) {
                continue;
            }
            newIds.put(id, order.size() + 1);
            BtfType t = btf.type(id);
            order.add(t);
            renumber(t, i -> {
                todo.add(i);
                return i;
            });
        }
        List<BtfType> types = new ArrayList<>(List.of(new BtfType.Void()));
        for (BtfType t : order) {
            types.add(renumber(t, newIds::get));
        }
        return types;
    }

    /** {@code t} with its id and every id it refers to mapped by {@code map}. */
    static BtfType renumber(BtfType t, IntUnaryOperator map) {
        int id = map.applyAsInt(t.id());
        return switch (t) {
            case BtfType.Void v -> v;
            case BtfType.Int i -> new BtfType.Int(id, i.name(), i.size(), i.encoding(), i.bitOffset(), i.bits());
            case BtfType.Ptr p -> new BtfType.Ptr(id, map.applyAsInt(p.type()));
            case BtfType.Array a -> new BtfType.Array(id, map.applyAsInt(a.type()), map.applyAsInt(a.indexType()), a.nelems());
            case BtfType.Struct s -> new BtfType.Struct(id, s.name(), s.size(), s.kindFlag(), members(s.members(), map));
            case BtfType.Union u -> new BtfType.Union(id, u.name(), u.size(), u.kindFlag(), members(u.members(), map));
            case BtfType.Enum e -> new BtfType.Enum(id, e.name(), e.size(), e.signed(), e.values());
            case BtfType.Enum64 e -> new BtfType.Enum64(id, e.name(), e.size(), e.signed(), e.values());
            case BtfType.Fwd f -> new BtfType.Fwd(id, f.name(), f.union());
            case BtfType.Typedef a -> new BtfType.Typedef(id, a.name(), map.applyAsInt(a.type()));
            case BtfType.Volatile a -> new BtfType.Volatile(id, map.applyAsInt(a.type()));
            case BtfType.Const a -> new BtfType.Const(id, map.applyAsInt(a.type()));
            case BtfType.Restrict a -> new BtfType.Restrict(id, map.applyAsInt(a.type()));
            case BtfType.TypeTag a -> new BtfType.TypeTag(id, a.name(), map.applyAsInt(a.type()), a.attribute());
            case BtfType.Func f -> new BtfType.Func(id, f.name(), map.applyAsInt(f.type()), f.linkage());
            case BtfType.FuncProto p -> new BtfType.FuncProto(id, map.applyAsInt(p.returnType()),
                    p.params().stream().map(x -> new BtfType.Param(x.name(), map.applyAsInt(x.type()))).toList());
            case BtfType.Var v -> new BtfType.Var(id, v.name(), map.applyAsInt(v.type()), v.linkage());
            case BtfType.Datasec d -> new BtfType.Datasec(id, d.name(), d.size(),
                    d.vars().stream().map(x -> new BtfType.VarSecinfo(map.applyAsInt(x.type()), x.offset(), x.size())).toList());
            case BtfType.Float f -> new BtfType.Float(id, f.name(), f.size());
            case BtfType.DeclTag d -> new BtfType.DeclTag(id, d.name(), map.applyAsInt(d.type()), d.componentIdx(), d.attribute());
        };
    }

    private static List<BtfType.Member> members(List<BtfType.Member> members, IntUnaryOperator map) {
        return members.stream().map(m -> new BtfType.Member(m.name(), map.applyAsInt(m.type()), m.bitOffset(), m.bitfieldSize())).toList();
    }
}
