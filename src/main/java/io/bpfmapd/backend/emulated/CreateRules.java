package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.SpinLockBtf;
import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfFormatException;
import io.bpfmapd.btf.BtfType;

import java.nio.charset.StandardCharsets;

/**
 * BPF_MAP_CREATE's checks for array maps, in the kernel's order: BPF_BTF_LOAD of the map's BTF when it
 * has one (which comes first, as the BTF fd is an input of the create), then kernel/bpf/syscall.c
 * map_create: bpf_get_file_flag, array_map_alloc_check, the allocation itself, bpf_obj_name_cpy, then
 * map_check_btf. Where two rules apply, the earlier one's errno wins. Checked against Linux 6.18.
 */
final class CreateRules {

    static final String OP = "BPF_MAP_CREATE";

    /** ARRAY_CREATE_FLAG_MASK (kernel/bpf/arraymap.c). */
    static final int ARRAY_CREATE_FLAG_MASK = MapFlag.NUMA_NODE.bit() | MapFlag.MMAPABLE.bit()
            | MapFlag.RDONLY.bit() | MapFlag.WRONLY.bit() | MapFlag.RDONLY_PROG.bit() | MapFlag.WRONLY_PROG.bit()
            | MapFlag.PRESERVE_ELEMS.bit() | MapFlag.INNER_MAP.bit();

    /** PCPU_MIN_UNIT_SIZE: the largest per-CPU element the percpu allocator hands out. */
    static final long PCPU_MIN_UNIT_SIZE = 32 * 1024;

    /** BPF_OBJ_NAME_LEN, including the terminating NUL. */
    static final int OBJ_NAME_LEN = 16;

    static final String OP_BTF_LOAD = "BPF_BTF_LOAD";

    private CreateRules() {
    }

    /**
     * What a create that passed every check keeps.
     *
     * @param name   the name as the kernel stores it
     * @param btf    the map's BTF ({@link SpinLockBtf}'s for a spin lock asked for without BTF), or null
     * @param fields the special fields map_check_btf found in the value
     */
    record Checked(String name, MapBtf btf, SpecialFields fields) {
    }

    /**
     * Runs every check and returns what the map keeps.
     *
     * @param allocationBytes what the map would occupy (see {@link MapLayout#fileSize}), or -1 if
     *                        the arithmetic itself overflowed
     * @param maxMapBytes     the emulation's stand-in for the kernel's allocator running dry
     */
    static Checked check(MapSpec spec, long allocationBytes, long maxMapBytes) {
        MapBtf btf = btfOf(spec);
        Btf parsed = btf == null ? null : loadBtf(btf);
        int flags = spec.flags();
        // bpf_get_file_flag
        if (MapFlag.RDONLY.isSet(flags) && MapFlag.WRONLY.isSet(flags)) {
            throw einval("BPF_F_RDONLY and BPF_F_WRONLY together");
        }
        // map_create: map_type must name a known map type
        if (spec.type() == null) {
            throw einval("unknown map type");
        }
        checkAllocation(spec);
        // array_map_alloc: bpf_map_area_alloc (or the per-CPU allocator) fails for what it cannot
        // back; the kernel's limit is the machine's memory, ours a configured size.
        if (allocationBytes < 0 || allocationBytes > maxMapBytes) {
            throw new BpfException(Errno.ENOMEM, OP, "the map needs more than the " + maxMapBytes
                    + " bytes an emulated map may occupy");
        }
        String name = copyName(spec.name());
        SpecialFields fields = parsed == null ? SpecialFields.NONE : checkBtf(spec, parsed, btf);
        return new Checked(name, btf, fields);
    }

    /**
     * The BTF a map of this spec is created with: the spec's own (with btf id 0, the emulation's), or
     * for a spin lock asked for without BTF {@link SpinLockBtf}'s, or null.
     */
    static MapBtf btfOf(MapSpec spec) {
        return spec.btf() != null ? new MapBtf(spec.btf().blob().clone(), 0, spec.btf().keyTypeId(), spec.btf().valueTypeId())
                : spec.valueHasSpinLock() ? SpinLockBtf.mapBtf(spec.valueSize()) : null;
    }

    /**
     * BPF_BTF_LOAD (kernel/bpf/btf.c btf_parse): EINVAL for a blob it cannot parse, E2BIG for a
     * struct with two spin locks (see {@link SpecialFields#twoSpinLocks}).
     */
    private static Btf loadBtf(MapBtf btf) {
        Btf parsed;
        try {
            parsed = Btf.parse(btf.blob());
        } catch (BtfFormatException e) {
            throw new BpfException(Errno.EINVAL, OP_BTF_LOAD, "malformed BTF: " + e.getMessage());
        }
        if (SpecialFields.twoSpinLocks(parsed)) {
            throw new BpfException(Errno.E2BIG, OP_BTF_LOAD, "a struct with more than one bpf_spin_lock");
        }
        return parsed;
    }

    /** array_map_alloc_check (kernel/bpf/arraymap.c). */
    private static void checkAllocation(MapSpec spec) {
        boolean percpu = spec.type() == MapType.PERCPU_ARRAY;
        int flags = spec.flags();
        // bpf_map_attr_numa_node: with BPF_F_NUMA_NODE the node is attr->numa_node, which our spec
        // leaves 0; node 0 is always online, so map_create accepts it, but a per-CPU array refuses
        // any explicit node.
        boolean numaNode = MapFlag.NUMA_NODE.isSet(flags);
        boolean bothProgFlags = MapFlag.RDONLY_PROG.isSet(flags) && MapFlag.WRONLY_PROG.isSet(flags);
        if (spec.maxEntries() == 0 || spec.keySize() != 4 || spec.valueSize() == 0
                || (flags & ~ARRAY_CREATE_FLAG_MASK) != 0
                || bothProgFlags
                || (percpu && numaNode)) {
            throw einval("max_entries 0, key_size not 4, value_size 0, an unknown flag, BPF_F_RDONLY_PROG "
                    + "with BPF_F_WRONLY_PROG, or BPF_F_NUMA_NODE on a per-CPU array");
        }
        if (spec.type() != MapType.ARRAY && (MapFlag.MMAPABLE.isSet(flags) || MapFlag.INNER_MAP.isSet(flags))) {
            throw einval("BPF_F_MMAPABLE and BPF_F_INNER_MAP need BPF_MAP_TYPE_ARRAY");
        }
        // BPF_F_PRESERVE_ELEMS belongs to BPF_MAP_TYPE_PERF_EVENT_ARRAY only.
        if (MapFlag.PRESERVE_ELEMS.isSet(flags)) {
            throw einval("BPF_F_PRESERVE_ELEMS needs BPF_MAP_TYPE_PERF_EVENT_ARRAY");
        }
        // value_size is a u32: a negative int here is above INT_MAX, which the kernel refuses to
        // avoid overflow in round_up(value_size, 8).
        if (spec.valueSize() < 0) {
            throw new BpfException(Errno.E2BIG, OP, "value_size above INT_MAX");
        }
        if (percpu && MapGeometry.elemSize(spec.valueSize()) > PCPU_MIN_UNIT_SIZE) {
            throw new BpfException(Errno.E2BIG, OP, "per-CPU value above PCPU_MIN_UNIT_SIZE (32 KiB)");
        }
    }

    /**
     * bpf_obj_name_cpy: up to 15 bytes of {@code [A-Za-z0-9_.]} ending in NUL within 16 bytes; the
     * name ends at the first NUL. Any other byte (so any non-ASCII character) is EINVAL.
     */
    static String copyName(String name) {
        byte[] bytes = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
        int i = 0;
        while (i < OBJ_NAME_LEN && i < bytes.length && bytes[i] != 0) {
            byte b = bytes[i];
            boolean alnum = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
            if (!alnum && b != '_' && b != '.') {
                throw einval("map name may hold only letters, digits, '_' and '.'");
            }
            i++;
        }
        if (i == OBJ_NAME_LEN) {
            throw einval("map name longer than 15 characters");
        }
        return new String(bytes, 0, i, StandardCharsets.US_ASCII);
    }

    /**
     * map_check_btf (kernel/bpf/syscall.c): the key type's size must be key_size and the value type's
     * value_size (EINVAL); a value with special fields may not carry BPF_F_RDONLY_PROG or
     * BPF_F_WRONLY_PROG (EACCES), and a spin lock or a timer is allowed in an ARRAY but not a
     * PERCPU_ARRAY (EOPNOTSUPP). Then array_map_check_btf (kernel/bpf/arraymap.c): the key is an INT of
     * 32 bits at bit offset 0 (EINVAL; the keyless global-data case is libbpf's, not the service's).
     * BPF_F_MMAPABLE is accepted here; mmap itself then refuses.
     */
    private static SpecialFields checkBtf(MapSpec spec, Btf btf, MapBtf ids) {
        if (ids.keyTypeId() == 0 || !sized(btf, ids.keyTypeId(), spec.keySize())) {
            throw einval("the BTF key type is not key_size (" + spec.keySize() + ") bytes");
        }
        if (!sized(btf, ids.valueTypeId(), spec.valueSize())) {
            throw einval("the BTF value type is not value_size (" + spec.valueSize() + ") bytes");
        }
        SpecialFields fields = SpecialFields.of(btf, ids.valueTypeId());
        if (!fields.isEmpty()) {
            if (MapFlag.RDONLY_PROG.isSet(spec.flags()) || MapFlag.WRONLY_PROG.isSet(spec.flags())) {
                throw new BpfException(Errno.EACCES, OP, "a value with special fields (" + fields.names()
                        + ") rules out BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG");
            }
            if (spec.type() != MapType.ARRAY) {
                throw new BpfException(Errno.EOPNOTSUPP, OP, fields.names() + " need BPF_MAP_TYPE_ARRAY");
            }
        }
        if (!(btf.resolve(ids.keyTypeId()) instanceof BtfType.Int key) || key.bits() != 32 || key.bitOffset() != 0) {
            throw einval("an array's BTF key type is a 32-bit integer");
        }
        return fields;
    }

    /** btf_type_id_size: the type has a size, and it is {@code size}. */
    private static boolean sized(Btf btf, int typeId, int size) {
        return typeId > 0 && typeId <= btf.lastTypeId() && btf.hasSize(typeId)
                && btf.sizeOf(typeId) == Integer.toUnsignedLong(size);
    }

    private static BpfException einval(String detail) {
        return new BpfException(Errno.EINVAL, OP, detail);
    }
}
