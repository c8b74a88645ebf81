package io.bpfmapd.backend.kernel.differential;

import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.btf.BtfType;
import io.bpfmapd.btf.BtfWriter;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A struct value of a few members, each a u8, u32, u64 or one of the kernel's special fields, laid out by
 * C rules, as BTF for a typed create: the differential run's way to let both backends find (or refuse)
 * special fields in the same blob. The member list is the whole description, so a shrunk sample prints as
 * {@code [u64, lock, lock]}.
 */
record TypedValue(List<Member> members) {

    enum Member {
        U8(1, 1), U32(4, 4), U64(8, 8), LOCK(4, 4), TIMER(16, 8);

        final int size;
        final int align;

        Member(int size, int align) {
            this.size = size;
            this.align = align;
        }
    }

    private static final int KEY = 1;
    private static final int U8_ID = 2;
    private static final int U64_ID = 3;
    private static final int LOCK_ID = 4;
    private static final int OPAQUE_ID = 5;
    private static final int TIMER_ID = 6;
    private static final int VALUE_ID = 7;

    /** sizeof the struct: members at their natural alignment, padded to the largest. */
    int size() {
        long offset = 0;
        int align = 1;
        for (Member m : members) {
            offset = (offset + m.align - 1) / m.align * m.align + m.size;
            align = Math.max(align, m.align);
        }
        return (int) ((offset + align - 1) / align * align);
    }

    MapBtf btf() {
        List<BtfType> types = new ArrayList<>();
        types.add(new BtfType.Void());
        types.add(new BtfType.Int(KEY, "unsigned int", 4, BtfType.IntEncoding.NONE, 0, 32));
        types.add(new BtfType.Int(U8_ID, "unsigned char", 1, BtfType.IntEncoding.NONE, 0, 8));
        types.add(new BtfType.Int(U64_ID, "unsigned long long", 8, BtfType.IntEncoding.NONE, 0, 64));
        types.add(new BtfType.Struct(LOCK_ID, "bpf_spin_lock", 4, false, List.of(new BtfType.Member("val", KEY, 0, 0))));
        types.add(new BtfType.Array(OPAQUE_ID, U64_ID, KEY, 2));
        types.add(new BtfType.Struct(TIMER_ID, "bpf_timer", 16, false, List.of(new BtfType.Member("__opaque", OPAQUE_ID, 0, 0))));
        List<BtfType.Member> out = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            offset = (offset + m.align - 1) / m.align * m.align;
            int type = switch (m) {
                case U8 -> U8_ID;
                case U32 -> KEY;
                case U64 -> U64_ID;
                case LOCK -> LOCK_ID;
                case TIMER -> TIMER_ID;
            };
            out.add(new BtfType.Member("m" + i, type, offset * 8, 0));
            offset += m.size;
        }
        types.add(new BtfType.Struct(VALUE_ID, "value", size(), false, out));
        return new MapBtf(BtfWriter.write(types, ByteOrder.nativeOrder()), 0, KEY, VALUE_ID);
    }

    @Override
    public String toString() {
        return members.toString().toLowerCase();
    }
}
