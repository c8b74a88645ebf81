package io.bpfmapd.map;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfFormatException;
import io.bpfmapd.typed.TypedPatch;
import io.bpfmapd.typed.TypedValue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * A map's BTF value type for {@code format=typed}, compiled once, and how the map lays its values out:
 * a lookup of a {@code PERCPU_ARRAY} returns one slot of {@code round_up(value_size, 8)} bytes per
 * possible CPU, written as a JSON array with one typed value per CPU (CPU 0 first); the data area (a
 * session's window, the whole-map dump) holds elements {@code elem_size} bytes apart.
 */
public final class TypedValues {

    private final TypedValue type;
    private final MapGeometry geometry;
    private final boolean perCpu;

    private TypedValues(TypedValue type, MapGeometry geometry) {
        this.type = type;
        this.geometry = geometry;
        this.perCpu = geometry.spec().type() == MapType.PERCPU_ARRAY;
    }

    /**
     * @throws BpfException EINVAL naming {@code format} when the map has no BTF value type, or one that
     *                      is not a value of the map's value_size (the kernel's map_check_btf insists it is)
     */
    static TypedValues of(String mapId, java.util.Optional<MapBtf> mapBtf, MapGeometry geometry) {
        MapBtf btf = mapBtf.filter(b -> b.valueTypeId() != 0).orElseThrow(() -> new BpfException(Errno.EINVAL,
                "format", "format=typed needs the map's BTF value type, and map " + mapId + " has none "
                + "(a map created without BTF holds untyped bytes); use hex or an integer format"));
        TypedValue type;
        try {
            type = TypedValue.of(Btf.parse(btf.blob()), btf.valueTypeId());
        } catch (BtfFormatException e) {
            throw new BpfException(Errno.EINVAL, "format", "map " + mapId + "'s BTF does not parse: " + e.getMessage());
        }
        if (type.size() != geometry.spec().valueSize()) {
            throw new BpfException(Errno.EINVAL, "format", "map " + mapId + "'s BTF value type is " + type.size()
                    + " bytes, its values " + geometry.spec().valueSize());
        }
        return new TypedValues(type, geometry);
    }

    public TypedValue type() {
        return type;
    }

    /** Bytes from one element to the next in the data area: {@code round_up(value_size, 8)}. */
    public long elemSize() {
        return geometry.elemSize();
    }

    /** A value as lookup returns it, to be written typed. */
    public EncodedValue value(byte[] value) {
        return new EncodedValue(ValueFormat.TYPED, value, this::writeValue);
    }

    /** Consecutive elements of the data area ({@link #elemSize()} apart), to be written as a JSON array of them. */
    public EncodedValue elements(byte[] bytes) {
        return new EncodedValue(ValueFormat.TYPED, bytes, this::writeElements);
    }

    /** A value as lookup returns it: one typed value, or for a per-CPU map an array of one per CPU. */
    public void writeValue(JsonGenerator out, byte[] value) {
        if (!perCpu) {
            type.write(out, value, 0);
            return;
        }
        writeElements(out, value);
    }

    /** Values {@link #elemSize()} apart (a per-CPU value's slots, or elements of the data area) as a JSON array. */
    private void writeElements(JsonGenerator out, byte[] bytes) {
        int elem = (int) geometry.elemSize();
        out.writeStartArray();
        for (int at = 0; at + type.size() <= bytes.length; at += elem) {
            type.write(out, bytes, at);
        }
        out.writeEndArray();
    }

    /**
     * The value an update writes for a typed JSON value: the JSON's bytes where it names fields, the
     * {@code old} value's elsewhere. {@code old} (a lookup) is only asked for when the JSON does not set
     * every byte; the JSON is checked first, so bad input reads and writes nothing.
     *
     * @throws BpfException EINVAL naming the field path
     */
    public byte[] update(JsonNode json, Supplier<byte[]> old) {
        List<TypedPatch> patches = perCpu ? perCpu(json) : List.of(type.parse(json));
        byte[] value = new byte[(int) geometry.valueSize()];
        boolean whole = patches.stream().allMatch(TypedPatch::whole);
        if (!whole) {
            byte[] before = old.get();
            System.arraycopy(before, 0, value, 0, Math.min(before.length, value.length));
        }
        for (int cpu = 0; cpu < patches.size(); cpu++) {
            patches.get(cpu).applyTo(value, (int) (cpu * geometry.elemSize()));
        }
        return value;
    }

    private List<TypedPatch> perCpu(JsonNode json) {
        int cpus = geometry.possibleCpus();
        if (!json.isArray() || json.size() != cpus) {
            throw new BpfException(Errno.EINVAL, "typed", "value: a per-CPU value is an array of one value per "
                    + "possible CPU (" + cpus + ")");
        }
        List<TypedPatch> patches = new ArrayList<>(cpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            patches.add(type.parse(json.get(cpu)));
        }
        return patches;
    }

    /**
     * The patches of consecutive elements a JSON array gives, element 0 first (a session write).
     *
     * @throws BpfException EINVAL when the JSON is not an array, or naming the field path of a bad element
     */
    public List<TypedPatch> elementPatches(JsonNode json) {
        if (!json.isArray() || json.isEmpty()) {
            throw new BpfException(Errno.EINVAL, "typed", "value: a write of typed elements is an array of at least "
                    + "one element, each a value of the map's type");
        }
        List<TypedPatch> patches = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            try {
                patches.add(type.parse(json.get(i)));
            } catch (BpfException e) {
                throw new BpfException(Errno.EINVAL, "typed", "element " + i + ": " + e.getMessage());
            }
        }
        return patches;
    }
}
