package io.bpfmapd.backend;

/** The map types this service manages, with their {@code enum bpf_map_type} numbers. */
public enum MapType {
    ARRAY(2),
    PERCPU_ARRAY(6);

    private final int kernelType;

    MapType(int kernelType) {
        this.kernelType = kernelType;
    }

    public int kernelType() {
        return kernelType;
    }

    public static java.util.Optional<MapType> ofKernelType(int kernelType) {
        for (MapType t : values()) {
            if (t.kernelType == kernelType) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
