package io.bpfmapd.backend;

import java.util.Objects;

/**
 * Every size of one map, derived from its spec as the kernel derives it, in one place (as cilium/ebpf's
 * {@code memorySize()}): the value a lookup returns, the stride between elements, the mappable data
 * area and its page rounding. The page size and the possible CPUs are the backend's, so the same spec
 * has other sizes on a machine with 16 KiB or 64 KiB pages. A new map type is one more case in each
 * {@code switch} below (the compiler lists them), beside its {@link MapType} constant and its create rules.
 *
 * @param spec         the map's blueprint
 * @param possibleCpus {@code num_possible_cpus()}: slots of a per-CPU value
 * @param pageSize     {@code PAGE_SIZE} of the backend's kernel (a power of two)
 */
public record MapGeometry(MapSpec spec, int possibleCpus, long pageSize) {

    public MapGeometry {
        Objects.requireNonNull(spec, "spec");
        if (possibleCpus < 1) {
            throw new IllegalArgumentException("possibleCpus must be at least 1, got " + possibleCpus);
        }
        if (pageSize <= 0 || Long.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("pageSize must be a power of two, got " + pageSize);
        }
    }

    public static MapGeometry of(MapSpec spec, int possibleCpus, long pageSize) {
        return new MapGeometry(spec, possibleCpus, pageSize);
    }

    /** {@code round_up(value_size, 8)}, value_size read as the kernel's u32 (kernel/bpf/arraymap.c). */
    public static long elemSize(int valueSize) {
        return roundUp(Integer.toUnsignedLong(valueSize), 8);
    }

    /** {@code value} rounded up to a multiple of {@code multiple}, saturating at {@link Long#MAX_VALUE}. */
    public static long roundUp(long value, long multiple) {
        long rounded = (value + multiple - 1) / multiple * multiple;
        return value > Long.MAX_VALUE - multiple + 1 ? Long.MAX_VALUE : rounded;
    }

    /** {@code round_up(value_size, 8)}: the stride of an array's elements, and of each CPU's slot of one. */
    public long elemSize() {
        return elemSize(spec.valueSize());
    }

    /**
     * {@code bpf_map_value_size} (kernel/bpf/syscall.c): the bytes a lookup returns and an update takes.
     * ARRAY: value_size; PERCPU_ARRAY: elem_size for each possible CPU (bpf_percpu_array_copy).
     */
    public long valueSize() {
        return switch (spec.type()) {
            case ARRAY -> Integer.toUnsignedLong(spec.valueSize());
            case PERCPU_ARRAY -> multiply(elemSize(), possibleCpus);
        };
    }

    /**
     * Bytes from one element to the next when the whole map is laid out flat: the mmap layout of an
     * ARRAY (elem_size), and for PERCPU_ARRAY its lookup value (one elem_size slot per CPU), which is
     * how the API streams it and how the emulation stores it.
     */
    public long stride() {
        return switch (spec.type()) {
            case ARRAY -> elemSize();
            case PERCPU_ARRAY -> multiply(elemSize(), possibleCpus);
        };
    }

    /** Offset of element {@code index} in the flat layout: {@code index * stride}. */
    public long offsetOf(int index) {
        return multiply(Integer.toUnsignedLong(index), stride());
    }

    /**
     * {@code PAGE_ALIGN(max_entries * elem_size)}: the bytes of an ARRAY's value area, all of which an
     * mmap may span (array_map_mmap); shown for every type as the value area's page-rounded size.
     */
    public long dataSize() {
        return pageAlign(multiply(elemSize(), Integer.toUnsignedLong(spec.maxEntries())));
    }

    /**
     * The memory the map's values hold, as array_map_alloc sizes it: the value area, page-aligned when
     * BPF_F_MMAPABLE (the pages are mapped to user space); once per possible CPU for PERCPU_ARRAY.
     * Saturates at {@link Long#MAX_VALUE} for a spec whose sizes overflow (the kernel refuses those).
     */
    public long memorySize() {
        long values = multiply(stride(), Integer.toUnsignedLong(spec.maxEntries()));
        return switch (spec.type()) {
            case ARRAY -> spec.has(MapFlag.MMAPABLE) ? pageAlign(values) : values;
            case PERCPU_ARRAY -> values;
        };
    }

    /** Whether the type can be mmapped at all (bpf_map_ops.map_mmap): else mmap is ENOTSUPP. */
    public boolean typeHasMmap() {
        return switch (spec.type()) {
            case ARRAY -> true;
            case PERCPU_ARRAY -> false;
        };
    }

    /** {@code PAGE_ALIGN(bytes)}. */
    public long pageAlign(long bytes) {
        return roundUp(bytes, pageSize);
    }

    /** {@code bytes} rounded down to a page boundary. */
    public long pageStart(long bytes) {
        return bytes - Math.floorMod(bytes, pageSize);
    }

    public boolean isPageAligned(long bytes) {
        return Math.floorMod(bytes, pageSize) == 0;
    }

    private static long multiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }
}
