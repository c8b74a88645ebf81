package io.bpfmapd.backend;

/**
 * The blueprint of an array map, as BPF_MAP_CREATE takes it. Nothing here is validated: the
 * backend that creates the map answers bad specs with the kernel's errno, exactly as the kernel does.
 * Its sizes on a backend (which depend on the page size and the CPUs) are {@link MapGeometry}'s.
 *
 * @param name              the kernel map name (at most 15 characters of [A-Za-z0-9_.])
 * @param type              ARRAY or PERCPU_ARRAY
 * @param keySize           must be 4 for arrays
 * @param valueSize         bytes per value
 * @param maxEntries        number of elements
 * @param flags             raw {@code map_flags}, see {@link MapFlag}; unknown bits are kept so that the
 *                          backend can refuse them as the kernel does
 * @param valueHasSpinLock  the value embeds a {@code struct bpf_spin_lock} (a BTF special field), which
 *                          makes mmap and freeze fail with ENOTSUPP
 */
public record MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags,
                      boolean valueHasSpinLock) {

    public boolean has(MapFlag flag) {
        return flag.isSet(flags);
    }
}
