package io.bpfmapd.backend;

/** The {@code flags} of BPF_MAP_UPDATE_ELEM. */
public enum UpdateFlag {
    ANY(0),
    NOEXIST(1),
    EXIST(2);

    private final long bits;

    UpdateFlag(long bits) {
        this.bits = bits;
    }

    public long bits() {
        return bits;
    }
}
