package io.bpfmapd.export;

import io.bpfmapd.map.ValueFormat;

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
        int width = format.width();
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (data[at + i] & 0xFF);
        }
        if (format.kind() == ValueFormat.Kind.SIGNED && width < 8) {
            int unused = 64 - 8 * width;
            v = v << unused >> unused;
        }
        return v;
    }

    /** {@link #raw} as a Prometheus sample value; u64 values are unsigned. */
    static double asDouble(long raw, ValueFormat format) {
        if (format.kind() == ValueFormat.Kind.UNSIGNED && raw < 0) {
            return (double) (raw >>> 1) * 2.0 + (raw & 1);
        }
        return raw;
    }
}
