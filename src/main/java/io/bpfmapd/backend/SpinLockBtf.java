package io.bpfmapd.backend;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A minimal BTF blob (include/uapi/linux/btf.h) describing a map value that starts with a
 * {@code struct bpf_spin_lock}: what a C compiler would emit for
 * <pre>struct value { struct bpf_spin_lock lock; char rest[value_size - 4]; };</pre>
 * The kernel finds the lock in it (kernel/bpf/btf.c btf_parse_fields) and from then on refuses mmap
 * and freeze of the map with ENOTSUPP, as it does for any value with special fields. It is what
 * {@link MapSpec#valueHasSpinLock()} means for a spec without BTF of its own: both backends create the
 * map with this BTF, so both describe such a map alike.
 */
public final class SpinLockBtf {

    public static final int KEY_TYPE_ID = 1;
    public static final int VALUE_TYPE_ID = 3;

    private static final int BTF_MAGIC = 0xeB9F;
    private static final int HEADER_LEN = 24;
    private static final int KIND_INT = 1;
    private static final int KIND_STRUCT = 4;
    private static final int INT_SIGNED = 1;

    private SpinLockBtf() {
    }

    /**
     * @param valueSize the struct's size; the kernel requires it to equal the map's value_size
     *                  (kernel/bpf/syscall.c map_check_btf), which is why it is not clamped here
     *                  beyond what a struct holding a 4-byte lock can be
     */
    public static byte[] forValueSize(int valueSize) {
        Strings strings = new Strings();
        int intName = strings.add("int");
        int lockName = strings.add("bpf_spin_lock");
        int valName = strings.add("val");
        int valueName = strings.add("value");
        int lockMember = strings.add("lock");

        ByteBuffer types = le(64);
        // [1] int: 4 bytes, signed, 32 bits at bit offset 0
        type(types, intName, KIND_INT, 0, 4);
        types.putInt((INT_SIGNED << 24) | 32);
        // [2] struct bpf_spin_lock { int val; }
        type(types, lockName, KIND_STRUCT, 1, 4);
        member(types, valName, 1, 0);
        // [3] struct value { struct bpf_spin_lock lock; ... } of value_size bytes
        type(types, valueName, KIND_STRUCT, 1, Math.max(valueSize, 4));
        member(types, lockMember, 2, 0);
        types.flip();

        byte[] str = strings.bytes();
        ByteBuffer blob = le(HEADER_LEN + types.remaining() + str.length);
        blob.putShort((short) BTF_MAGIC).put((byte) 1).put((byte) 0).putInt(HEADER_LEN);
        blob.putInt(0).putInt(types.remaining()).putInt(types.remaining()).putInt(str.length);
        blob.put(types).put(str);
        return blob.array();
    }

    /** This BTF as a map's: {@link #forValueSize}'s blob with its key and value type ids. */
    public static MapBtf mapBtf(int valueSize) {
        return new MapBtf(forValueSize(valueSize), 0, KEY_TYPE_ID, VALUE_TYPE_ID);
    }

    private static void type(ByteBuffer b, int nameOff, int kind, int vlen, int size) {
        b.putInt(nameOff).putInt((kind << 24) | vlen).putInt(size);
    }

    private static void member(ByteBuffer b, int nameOff, int typeId, int bitOffset) {
        b.putInt(nameOff).putInt(typeId).putInt(bitOffset);
    }

    private static ByteBuffer le(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The BTF string section: offset 0 is the empty string. */
    private static final class Strings {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Strings() {
            out.write(0);
        }

        int add(String s) {
            int offset = out.size();
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            out.write(0);
            return offset;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
