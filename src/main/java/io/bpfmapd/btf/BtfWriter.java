package io.bpfmapd.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link BtfType}s as a raw BTF blob (include/uapi/linux/btf.h): a 24-byte header, the type
 * section, then the string section with each name once. {@code Btf.parse(write(types, order)).types()}
 * equals {@code types}: what the service builds for BPF_BTF_LOAD goes through the same model it reads.
 */
public final class BtfWriter {

    private final ByteBuffer scratch;
    private final ByteArrayOutputStream typeSection = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> nameOffsets = new HashMap<>();

    private BtfWriter(ByteOrder order) {
        this.scratch = ByteBuffer.allocate(4).order(order);
        strings.write(0);
        nameOffsets.put("", 0);
    }

    /**
     * @param types index = type id, starting with {@link BtfType.Void} at 0
     * @throws IllegalArgumentException when an id is not its index
     */
    public static byte[] write(List<BtfType> types, ByteOrder order) {
        BtfWriter w = new BtfWriter(order);
        for (int i = 0; i < types.size(); i++) {
            BtfType t = types.get(i);
            if (t.id() != i || (i == 0) != (t instanceof BtfType.Void)) {
                throw new IllegalArgumentException("type " + t + " at index " + i + ": ids are indexes and only 0 is void");
            }
            if (i > 0) {
                w.type(t);
            }
        }
        byte[] typeBytes = w.typeSection.toByteArray();
        byte[] strBytes = w.strings.toByteArray();
        ByteBuffer blob = ByteBuffer.allocate(BtfReader.HEADER_LEN + typeBytes.length + strBytes.length).order(order);
        blob.putShort((short) BtfReader.MAGIC).put((byte) BtfReader.VERSION).put((byte) 0).putInt(BtfReader.HEADER_LEN);
        blob.putInt(0).putInt(typeBytes.length).putInt(typeBytes.length).putInt(strBytes.length);
        blob.put(typeBytes).put(strBytes);
        return blob.array();
    }

    private void type(BtfType t) {
        switch (t) {
            case BtfType.Int i -> {
                head(t, 0, false, i.size());
                u32((long) i.encoding().bits() << 24 | (long) i.bitOffset() << 16 | i.bits());
            }
            case BtfType.Ptr p -> head(t, 0, false, p.type());
            case BtfType.Array a -> {
                head(t, 0, false, 0);
                u32(a.type());
                u32(a.indexType());
                u32(a.nelems());
            }
            case BtfType.Composite c -> {
                head(t, c.members().size(), c.kindFlag(), c.size());
                for (BtfType.Member m : c.members()) {
                    u32(name(m.name()));
                    u32(m.type());
                    u32(c.kindFlag() ? (long) m.bitfieldSize() << 24 | m.bitOffset() : m.bitOffset());
                }
            }
            case BtfType.Enum e -> {
                head(t, e.values().size(), e.signed(), e.size());
                for (BtfType.EnumValue v : e.values()) {
                    u32(name(v.name()));
                    u32(v.value());
                }
            }
            case BtfType.Enum64 e -> {
                head(t, e.values().size(), e.signed(), e.size());
                for (BtfType.EnumValue v : e.values()) {
                    u32(name(v.name()));
                    u32(v.value());
                    u32(v.value() >>> 32);
                }
            }
            case BtfType.Fwd f -> head(t, 0, f.union(), 0);
            case BtfType.TypeTag tag -> head(t, 0, tag.attribute(), tag.type());
            case BtfType.Alias a -> head(t, 0, false, a.type());
            case BtfType.Func f -> head(t, f.linkage().ordinal(), false, f.type());
            case BtfType.FuncProto p -> {
                head(t, p.params().size(), false, p.returnType());
                for (BtfType.Param param : p.params()) {
                    u32(name(param.name()));
                    u32(param.type());
                }
            }
            case BtfType.Var v -> {
                head(t, 0, false, v.type());
                u32(v.linkage().ordinal());
            }
            case BtfType.Datasec d -> {
                head(t, d.vars().size(), false, d.size());
                for (BtfType.VarSecinfo v : d.vars()) {
                    u32(v.type());
                    u32(v.offset());
                    u32(v.size());
                }
            }
            case BtfType.Float f -> head(t, 0, false, f.size());
            case BtfType.DeclTag tag -> {
                head(t, 0, tag.attribute(), tag.type());
                u32(tag.componentIdx());
            }
            case BtfType.Void v -> throw new IllegalArgumentException("void is type 0, not in the blob");
        }
    }

    private void head(BtfType t, int vlen, boolean kindFlag, long sizeOrType) {
        if (vlen > 0xffff) {
            throw new IllegalArgumentException(t.kind() + " " + t.id() + " has " + vlen + " entries, BTF holds at most 65535");
        }
        u32(name(t.name()));
        u32((kindFlag ? 1L << 31 : 0) | (long) t.kind().number() << 24 | vlen);
        u32(sizeOrType);
    }

    private int name(String name) {
        return nameOffsets.computeIfAbsent(name, n -> {
            int offset = strings.size();
            strings.writeBytes(n.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            return offset;
        });
    }

    private void u32(long value) {
        scratch.clear();
        scratch.putInt((int) value);
        typeSection.write(scratch.array(), 0, 4);
    }
}
