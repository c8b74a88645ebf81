package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.MapMath;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;

/**
 * Where an emulated map's bytes live. ARRAY: element {@code i} at byte {@code i * elem_size} of a
 * page-aligned data area {@code PAGE_ALIGN(max_entries * elem_size)} long, as the kernel lays out
 * an MMAPABLE array. PERCPU_ARRAY: element {@code i} holds one {@code elem_size} slot per CPU, side
 * by side, which is exactly the value BPF_MAP_LOOKUP_ELEM returns for it.
 */
record MapLayout(long elemSize, int cpus, long slotBytes, long dataSize) {

    /** One header page precedes the data area in the backing file. */
    static final long HEADER_SIZE = MapMath.PAGE_SIZE;

    static MapLayout of(MapSpec spec, int cpus) {
        long elemSize = spec.elemSize();
        int slots = spec.type() == MapType.PERCPU_ARRAY ? cpus : 1;
        long entries = Integer.toUnsignedLong(spec.maxEntries());
        long slotBytes = elemSize * slots;
        long dataSize;
        try {
            dataSize = MapMath.pageAlign(Math.multiplyExact(entries, slotBytes));
        } catch (ArithmeticException e) {
            dataSize = -1;
        }
        return new MapLayout(elemSize, cpus, slotBytes, dataSize);
    }

    /** Header page plus data area, or -1 when that does not fit a long. */
    long fileSize() {
        return dataSize < 0 || dataSize > Long.MAX_VALUE - HEADER_SIZE ? -1 : HEADER_SIZE + dataSize;
    }

    long offsetOf(int index) {
        return Integer.toUnsignedLong(index) * slotBytes;
    }
}
