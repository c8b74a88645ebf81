package io.bpfmapd.backend.emulated;

import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The BTF special fields of a map value that the emulation models, {@code struct bpf_spin_lock} and
 * {@code struct bpf_timer}, where kernel/bpf/btf.c btf_parse_fields finds them: members of the value
 * struct whose type is a struct of that name and of the kernel's size (btf_find_struct), at an offset
 * aligned to it (btf_find_field_one: a misaligned one is no field). A field name seen twice makes
 * btf_find_field fail with E2BIG, and map_check_btf then keeps no record at all (it tests
 * {@code IS_ERR_OR_NULL(map->record)}): two timers are no special field, seen on Linux 6.18. Two spin
 * locks never get that far, see {@link #checkLoad}.
 *
 * <p>The kernel also looks into nested structs and one-element arrays; the service never builds such a
 * value (it allows special fields only as members of the value struct), so this model does not.
 *
 * @param fields each field's byte range in the value, in member order
 */
record SpecialFields(List<Field> fields) {

    static final String SPIN_LOCK = "bpf_spin_lock";
    static final String TIMER = "bpf_timer";
    /** sizeof(struct bpf_spin_lock), which is also its alignment. */
    static final int SPIN_LOCK_SIZE = 4;
    /** sizeof(struct bpf_timer): two u64, aligned to 8 (include/uapi/linux/bpf.h). */
    static final int TIMER_SIZE = 16;

    static final SpecialFields NONE = new SpecialFields(List.of());

    /** One special field: {@code size} bytes at {@code offset} of the value. */
    record Field(String type, int offset, int size) {
    }

    /** The fields' type names, for a message. */
    String names() {
        return fields.stream().map(Field::type).distinct().collect(java.util.stream.Collectors.joining(" and "));
    }

    boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * What BPF_BTF_LOAD itself refuses of a value struct: a struct with two spin locks as members is
     * E2BIG at load time already (btf_parse_fields runs for every struct of the blob; seen on 6.18).
     *
     * @return whether some struct of the BTF has two spin lock members
     */
    static boolean twoSpinLocks(Btf btf) {
        for (BtfType t : btf.types()) {
            if (t instanceof BtfType.Struct s) {
                int locks = 0;
                for (BtfType.Member m : s.members()) {
                    if (isSpecial(btf, m.type(), SPIN_LOCK, SPIN_LOCK_SIZE)) {
                        locks++;
                    }
                }
                if (locks > 1) {
                    return true;
                }
            }
        }
        return false;
    }

    /** btf_parse_fields of the value type, as far as this model goes (see the class comment). */
    static SpecialFields of(Btf btf, int valueTypeId) {
        if (!(btf.resolve(valueTypeId) instanceof BtfType.Struct s)) {
            return NONE;
        }
        List<Field> found = new ArrayList<>();
        boolean lock = false;
        boolean timer = false;
        for (BtfType.Member m : s.members()) {
            String type = isSpecial(btf, m.type(), SPIN_LOCK, SPIN_LOCK_SIZE) ? SPIN_LOCK
                    : isSpecial(btf, m.type(), TIMER, TIMER_SIZE) ? TIMER : null;
            if (type == null || m.bitfieldSize() != 0 || m.bitOffset() % 8 != 0) {
                continue;
            }
            int size = type.equals(SPIN_LOCK) ? SPIN_LOCK_SIZE : TIMER_SIZE;
            int align = type.equals(SPIN_LOCK) ? SPIN_LOCK_SIZE : 8;
            long offset = m.bitOffset() / 8;
            if (offset % align != 0) {
                continue;
            }
            boolean seen = type.equals(SPIN_LOCK) ? lock : timer;
            if (seen) {
                return NONE;
            }
            lock |= type.equals(SPIN_LOCK);
            timer |= type.equals(TIMER);
            found.add(new Field(type, (int) offset, size));
        }
        found.sort(java.util.Comparator.comparingInt(Field::offset));
        return new SpecialFields(List.copyOf(found));
    }

    private static boolean isSpecial(Btf btf, int typeId, String name, int size) {
        return btf.resolve(typeId) instanceof BtfType.Struct s && s.name().equals(name) && s.size() == size;
    }

    /** check_and_init_map_value: a lookup returns special fields as zeros. */
    void zero(byte[] value) {
        for (Field f : fields) {
            java.util.Arrays.fill(value, f.offset(), Math.min(value.length, f.offset() + f.size()), (byte) 0);
        }
    }

    /** copy_map_value: an update writes the value around its special fields, which keep their bytes. */
    void copyAround(byte[] value, MemorySegment element) {
        int at = 0;
        for (Field f : fields) {
            if (f.offset() > at) {
                MemorySegment.copy(value, at, element, ValueLayout.JAVA_BYTE, at, f.offset() - at);
            }
            at = Math.max(at, f.offset() + f.size());
        }
        if (at < value.length) {
            MemorySegment.copy(value, at, element, ValueLayout.JAVA_BYTE, at, value.length - at);
        }
    }
}
