package io.bpfmapd.btf;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * A parsed BTF blob (include/uapi/linux/btf.h, Documentation/bpf/btf.rst): its types by id, each
 * type's size and alignment, and the type each id resolves to through typedefs and qualifiers. This is
 * the graph the typed codecs walk: resolve an id, take its size and alignment, descend into members
 * (bit offsets, bitfield sizes), array elements and a DATASEC's variables (offsets, sizes).
 *
 * <p>Only standalone BTF is read (a map's, a program's, vmlinux's); split BTF (a kernel module's,
 * whose ids continue vmlinux's) would need its base. A map's BTF is never split: BPF_BTF_LOAD parses
 * what user space loads with no base (kernel/bpf/btf.c btf_parse), and BPF_MAP_CREATE refuses kernel
 * BTF, vmlinux's or a module's, with EACCES (kernel/bpf/syscall.c map_create, btf_is_kernel; seen on
 * 6.18 with vmlinux's). A kind this reader does not know (a newer kernel's, after ENUM64) is refused
 * as malformed: nothing says how long its data is. Immutable and thread-safe.
 */
public final class Btf {

    private final ByteOrder order;
    private final List<BtfType> types;
    private final BtfLayout layout;

    private Btf(ByteOrder order, List<BtfType> types, BtfLayout layout) {
        this.order = order;
        this.types = types;
        this.layout = layout;
    }

    /**
     * Reads a raw BTF blob in either byte order (the magic tells which; the kernel's is the host's).
     * Accepts what the kernel accepts (kernel/bpf/btf.c) and a header longer than it knows.
     *
     * @throws BtfFormatException for anything malformed, with the byte offset where it was found; never
     *                            any other exception, and never after unbounded time or memory
     */
    public static Btf parse(byte[] blob) {
        BtfReader.Types read = BtfReader.read(blob);
        BtfLayout layout = BtfLayout.of(read.types(), read.offsets());
        return new Btf(read.order(), read.types(), layout);
    }

    /** The blob's byte order, in which its values (a map's bytes) are laid out too. */
    public ByteOrder order() {
        return order;
    }

    /** Every type, index = type id: {@code types().get(0)} is void. */
    public List<BtfType> types() {
        return types;
    }

    /** The largest type id. */
    public int lastTypeId() {
        return types.size() - 1;
    }

    /** @throws IllegalArgumentException for an id beyond {@link #lastTypeId()} */
    public BtfType type(int id) {
        return types.get(check(id));
    }

    /** The type {@code id} names once TYPEDEF, VOLATILE, CONST, RESTRICT and TYPE_TAG are looked through. */
    public BtfType resolve(int id) {
        return types.get(layout.resolved[check(id)]);
    }

    /** Whether {@link #sizeOf} answers: not void, FUNC, FUNC_PROTO, FWD, DECL_TAG or an alias of one. */
    public boolean hasSize(int id) {
        return layout.size[check(id)] != BtfLayout.UNSIZED;
    }

    /**
     * The size in bytes of a value of type {@code id} ({@code sizeof} in C): a pointer's is the target's
     * {@link #pointerSize()}, an array's its elements' times their count, a VAR's its type's.
     *
     * @throws IllegalArgumentException when {@code id} has no size (see {@link #hasSize})
     */
    public long sizeOf(int id) {
        long size = layout.size[check(id)];
        if (size == BtfLayout.UNSIZED) {
            throw new IllegalArgumentException("type " + id + " (" + types.get(id).kind() + ") has no size");
        }
        return size;
    }

    /**
     * The alignment in bytes of type {@code id} ({@code _Alignof} in C) as libbpf's btf__align_of
     * computes it: a scalar's size capped at the pointer size, a struct's largest member's, or 1 when the
     * struct is packed; a DATASEC's is its largest variable's.
     *
     * @throws IllegalArgumentException when {@code id} has no size
     */
    public int alignOf(int id) {
        sizeOf(id);
        return layout.align[id];
    }

    /** The size of a pointer (and of {@code long}) on the target the BTF describes: 8 unless it says 4. */
    public int pointerSize() {
        return layout.pointerSize;
    }

    /** The first type of {@code kind} named {@code name}. */
    public Optional<BtfType> find(BtfKind kind, String name) {
        return types.stream().filter(t -> t.kind() == kind && t.name().equals(name)).findFirst();
    }

    private int check(int id) {
        if (id < 0 || id >= types.size()) {
            throw new IllegalArgumentException("no type id " + id + " in this BTF (the last is " + lastTypeId() + ")");
        }
        return id;
    }
}
