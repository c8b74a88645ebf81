package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.MapGeometry;

/**
 * Where an emulated map's bytes live in its backing file: the header (one page, or more for a map with a
 * large BTF blob), then the data area, element {@code i} at {@code i * stride} of it (see
 * {@link MapGeometry#stride}). ARRAY: exactly the kernel's layout of an MMAPABLE array,
 * {@code PAGE_ALIGN(max_entries * elem_size)} bytes. PERCPU_ARRAY: each element holds one
 * {@code elem_size} slot per CPU side by side, which is the value a lookup returns.
 *
 * @param headerSize the header's bytes, whole pages, so that the data is page-aligned
 */
record MapLayout(MapGeometry geometry, long headerSize) {

    /** The layout of a map whose header holds {@code btfBytes} bytes of BTF after its fields. */
    static MapLayout of(MapGeometry geometry, int btfBytes) {
        return new MapLayout(geometry, geometry.pageAlign(MapFile.HEADER_FIELDS + btfBytes));
    }

    /** Every element's slot, page-aligned; saturates at Long.MAX_VALUE when that does not fit. */
    long dataSize() {
        return geometry.pageAlign(geometry.memorySize());
    }

    /** Header plus data area, or -1 when that does not fit a long. */
    long fileSize() {
        long data = dataSize();
        return data > Long.MAX_VALUE - headerSize() ? -1 : headerSize() + data;
    }

    int cpus() {
        return geometry.possibleCpus();
    }
}
