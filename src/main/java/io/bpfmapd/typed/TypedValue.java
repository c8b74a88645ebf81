package io.bpfmapd.typed;

import static io.bpfmapd.typed.TypedIntegers.OPERATION;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.btf.Btf;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One BTF type's values as JSON: read from bytes, and parsed from JSON into a patch of bytes.
 *
 * <p>The JSON is bpftool's {@code formatted} (tools/bpf/bpftool/btf_dumper.c): structs and unions as
 * objects of their members (an anonymous struct or union member's fields inlined, where bpftool writes
 * the member under the name "", once per such member), arrays as
 * arrays, char arrays holding a printable NUL-terminated string as that string, enums by name (the number
 * when no name matches), bools as true/false, pointers as their address, a VAR as
 * {@code {"name": value}} and a DATASEC as {@code {"section": [{"var": value}, ...]}}. It differs where
 * bpftool's JSON is lossy or wrong, as docs/api.md (typed values) lists: integers that can pass 2^53
 * (8-byte integers, enums and pointers, bitfields wider than 53 bits) are decimal strings, bitfields are
 * numbers rather than hex strings (a signed one sign-extended, as C reads it), floats are numbers.
 *
 * <p>Immutable and thread-safe: compile once per map and type, use for every element.
 */
public final class TypedValue {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final Codec codec;
    private final int size;

    private TypedValue(Codec codec, int size) {
        this.codec = codec;
        this.size = size;
    }

    /**
     * @throws BpfException EINVAL when the type has no size (void, func, fwd...), holds something no
     *                      value can (a FUNC, an enum of 3 bytes), or the BTF is not little-endian
     */
    public static TypedValue of(Btf btf, int typeId) {
        if (typeId <= 0 || typeId > btf.lastTypeId() || !btf.hasSize(typeId)) {
            throw new BpfException(Errno.EINVAL, OPERATION, "type " + typeId + " has no size: it has no typed value");
        }
        if (btf.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new BpfException(Errno.EINVAL, OPERATION, "the BTF is big-endian; typed values are read little-endian only");
        }
        long size = btf.sizeOf(typeId);
        if (size > Integer.MAX_VALUE) {
            throw new BpfException(Errno.EINVAL, OPERATION, "type " + typeId + " is " + size + " bytes: too big for a value");
        }
        return new TypedValue(CodecBuilder.build(btf, typeId), (int) size);
    }

    /** The type's size in bytes: a value's. */
    public int size() {
        return size;
    }

    /**
     * Streams the JSON of {@link #size()} bytes at {@code offset} (never builds the whole answer for big maps).
     *
     * @throws IndexOutOfBoundsException when {@code bytes} holds fewer than {@code offset + size()} bytes
     */
    public void write(JsonGenerator out, MemorySegment bytes, long offset) {
        java.util.Objects.checkFromIndexSize(offset, size, bytes.byteSize());
        codec.write(out, bytes, offset);
    }

    /** {@link #write(JsonGenerator, MemorySegment, long)} of heap bytes, for callers that keep off FFM types. */
    public void write(JsonGenerator out, byte[] bytes, int offset) {
        write(out, MemorySegment.ofArray(bytes), offset);
    }

    /** The same as a tree, for small answers and tests. */
    public JsonNode toJson(MemorySegment bytes, long offset) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            write(out, bytes, offset);
        }
        return JSON.readTree(text.toString());
    }

    /**
     * The bytes a JSON value sets. A struct/union object may name only some fields: only their bits
     * are in the patch.
     *
     * @throws BpfException EINVAL whose message names the field path ("value.stats.comm[3]": unknown
     *                      field, wrong JSON type, out of range, string too long)
     */
    public TypedPatch parse(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            throw TypedIntegers.invalid("value", "no value given");
        }
        Patcher p = new Patcher(size);
        codec.parse(json, p, 0, "value");
        return p.patch();
    }
}
