package io.bpfmapd.backend;

import java.util.EnumSet;
import java.util.Set;

/** The {@code BPF_F_*} map_flags bits an array map may be created with (include/uapi/linux/bpf.h). */
public enum MapFlag {
    NUMA_NODE(1 << 2),
    RDONLY(1 << 3),
    WRONLY(1 << 4),
    RDONLY_PROG(1 << 7),
    WRONLY_PROG(1 << 8),
    MMAPABLE(1 << 10),
    PRESERVE_ELEMS(1 << 11),
    INNER_MAP(1 << 12);

    private final int bit;

    MapFlag(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    public boolean isSet(int flags) {
        return (flags & bit) != 0;
    }

    public static int toBits(Set<MapFlag> flags) {
        int bits = 0;
        for (MapFlag f : flags) {
            bits |= f.bit;
        }
        return bits;
    }

    /** The named flags among {@code bits}; bits this enum does not name are dropped. */
    public static Set<MapFlag> fromBits(int bits) {
        EnumSet<MapFlag> set = EnumSet.noneOf(MapFlag.class);
        for (MapFlag f : values()) {
            if (f.isSet(bits)) {
                set.add(f);
            }
        }
        return set;
    }
}
