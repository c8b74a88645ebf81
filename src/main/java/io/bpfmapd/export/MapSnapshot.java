package io.bpfmapd.export;

import io.bpfmapd.map.ValueFormat;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The values of one map, read once for one scrape and shared by every view of that map. Element
 * {@code i}'s slot for CPU {@code c} starts at {@code i * stride + c * slot}: for an ARRAY the mmap layout
 * (stride = slot = elem_size, one CPU), for a PERCPU_ARRAY the lookup layout (one elem_size slot per CPU).
 *
 * @param data    the bytes
 * @param entries the map's max_entries
 * @param stride  bytes from one element to the next
 * @param slot    bytes from one CPU's slot to the next
 * @param cpus    slots per element
 */
record MapSnapshot(byte[] data, int entries, long stride, long slot, int cpus) {

    /**
     * The integer of {@code format} at byte {@code offset} of element {@code index}'s slot for {@code cpu}, as
     * the bits of a long: little-endian, sign-extended for the signed formats, else zero-extended (a u64 above
     * {@link Long#MAX_VALUE} comes back negative; {@link #asDouble} reads it as unsigned).
     */
    long raw(int index, int cpu, int offset, ValueFormat format) {
        int at = Math.toIntExact(index * stride + cpu * slot + offset);
        boolean signed = format.kind() == ValueFormat.Kind.SIGNED;
        // One little-endian load per value (a scrape reads every element: a byte loop was a tenth of it)
        return switch (format.width()) {
            case 8 -> (long) U64.get(data, at);
            case 4 -> signed ? (int) U32.get(data, at) : Integer.toUnsignedLong((int) U32.get(data, at));
            case 2 -> signed ? (short) U16.get(data, at) : Short.toUnsignedLong((short) U16.get(data, at));
            case 1 -> signed ? data[at] : Byte.toUnsignedLong(data[at]);
            default -> throw new IllegalArgumentException(format.field() + " is not an integer format");
        };
    }

    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** {@link #raw} as a Prometheus sample value; u64 values are unsigned. */
    static double asDouble(long raw, ValueFormat format) {
        if (format.kind() == ValueFormat.Kind.UNSIGNED && raw < 0) {
            return (double) (raw >>> 1) * 2.0 + (raw & 1);
        }
        return raw;
    }
}
