package io.bpfmapd.backend;

/** The kernel's size arithmetic for array maps (kernel/bpf/arraymap.c). */
public final class MapMath {

    /** The page size of this machine's kernel; x86_64 and most arm64 kernels use 4 KiB. */
    public static final long PAGE_SIZE = 4096;

    private MapMath() {
    }

    /** {@code round_up(value_size, 8)}. */
    public static long elemSize(int valueSize) {
        return roundUp(Integer.toUnsignedLong(valueSize), 8);
    }

    /** {@code PAGE_ALIGN(max_entries * elem_size)}: the bytes an mmap of the whole value area spans. */
    public static long dataSize(int valueSize, int maxEntries) {
        return pageAlign(elemSize(valueSize) * Integer.toUnsignedLong(maxEntries));
    }

    public static long pageAlign(long bytes) {
        return roundUp(bytes, PAGE_SIZE);
    }

    public static boolean isPageAligned(long bytes) {
        return bytes % PAGE_SIZE == 0;
    }

    public static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
