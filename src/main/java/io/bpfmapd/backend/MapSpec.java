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
 * @param valueHasSpinLock  the value has BTF special fields (a {@code struct bpf_spin_lock}, a
 *                          {@code struct bpf_timer}), which make mmap and freeze fail with ENOTSUPP. Asked
 *                          for without {@code btf}, it is sugar for {@link SpinLockBtf}'s value type; with
 *                          {@code btf}, the backend answers it from the BTF (a created map's info says
 *                          what the kernel found there, whatever the request said)
 * @param btf               the BTF to create the map with ({@code btf_fd}'s blob, {@code btf_key_type_id},
 *                          {@code btf_value_type_id}; its {@link MapBtf#btfId()} is ignored), or null for
 *                          none. An input of create only: a map's {@link MapInfo#spec()} carries none, on
 *                          either backend; {@link BpfMap#btf()} reads a map's BTF
 */
public record MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags,
                      boolean valueHasSpinLock, MapBtf btf) {

    /** A spec without BTF (or with {@link SpinLockBtf}'s, when {@code valueHasSpinLock}). */
    public MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags,
                   boolean valueHasSpinLock) {
        this(name, type, keySize, valueSize, maxEntries, flags, valueHasSpinLock, null);
    }

    public boolean has(MapFlag flag) {
        return flag.isSet(flags);
    }

    /** The spec a created map reports: whether the value has special fields as found, and no BTF. */
    public MapSpec created(String createdName, boolean specialFields) {
        return new MapSpec(createdName, type, keySize, valueSize, maxEntries, flags, specialFields);
    }
}
