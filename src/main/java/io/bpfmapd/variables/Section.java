package io.bpfmapd.variables;

import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfCFormat;
import io.bpfmapd.btf.BtfType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A global-data map's section: libbpf puts an object's globals in one ARRAY map per ELF section
 * ({@code .bss}, {@code .data}, {@code .rodata}, {@code .kconfig}, {@code .data.*}, {@code .rodata.*}) of
 * one element, whose value is the whole section and whose value type is the section's BTF DATASEC
 * (libbpf.c bpf_object__init_internal_map, map_fill_btf_type_info). The DATASEC names the section in full,
 * where the map's name is cut to 15 characters ({@code BPF_OBJ_NAME_LEN}) and prefixed with the object's.
 *
 * @param name      the DATASEC's name: the ELF section, {@code .data.custom}
 * @param size      the DATASEC's size, which map_check_btf holds equal to the map's value size
 * @param btf       the map's BTF, in which the variables' type ids are
 * @param variables the section's variables in the DATASEC's order (by offset: libbpf sorts them, btf_fixup_datasec)
 */
public record Section(String name, long size, Btf btf, List<Variable> variables) {

    /**
     * The section a map's BTF describes.
     *
     * @throws NotASectionException when the map is not an ARRAY whose value type is a DATASEC, or its
     *                              DATASEC does not fit the value
     */
    public static Section of(String mapId, MapSpec spec, MapBtf mapBtf) {
        Btf btf = Btf.parse(mapBtf.blob());
        if (mapBtf.valueTypeId() <= 0 || mapBtf.valueTypeId() > btf.lastTypeId()
                || !(btf.resolve(mapBtf.valueTypeId()) instanceof BtfType.Datasec sec)) {
            throw new NotASectionException(mapId, "its value type is "
                    + (mapBtf.valueTypeId() <= 0 || mapBtf.valueTypeId() > btf.lastTypeId() ? "not in its BTF"
                    : "a " + btf.resolve(mapBtf.valueTypeId()).kind()) + ", not a DATASEC");
        }
        // Per-CPU global data is no libbpf section: a per-CPU value is a copy per CPU, not one section.
        if (spec.type() != MapType.ARRAY) {
            throw new NotASectionException(mapId, "it is a " + spec.type() + " map; global variables live in an ARRAY");
        }
        if (sec.size() != Integer.toUnsignedLong(spec.valueSize())) {
            throw new NotASectionException(mapId, "its DATASEC " + sec.name() + " has " + sec.size()
                    + " bytes, its value " + Integer.toUnsignedLong(spec.valueSize()));
        }
        List<Variable> variables = new ArrayList<>(sec.vars().size());
        for (BtfType.VarSecinfo info : sec.vars()) {
            // A DATASEC may also list FUNCs (libbpf's .ksyms of extern functions): no bytes of the value.
            if (!(btf.type(info.type()) instanceof BtfType.Var v)) {
                continue;
            }
            if (info.offset() + info.size() > sec.size() || !btf.hasSize(v.type()) || btf.sizeOf(v.type()) > info.size()) {
                throw new NotASectionException(mapId, "variable " + v.name() + " of " + sec.name() + " does not fit it (offset "
                        + info.offset() + ", size " + info.size() + ")");
            }
            variables.add(new Variable(v.name(), v.type(), declaration(btf, v.type(), v.name()),
                    declaration(btf, v.type(), ""), info.offset(), info.size(), v.linkage()));
        }
        return new Section(sec.name(), sec.size(), btf, List.copyOf(variables));
    }

    /** The first variable of that name (a section holds each name once: C allows one definition). */
    public Optional<Variable> variable(String name) {
        return variables.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    private static String declaration(Btf btf, int typeId, String name) {
        try {
            return BtfCFormat.declaration(btf, typeId, name);
        } catch (IllegalArgumentException tooDeepForC) {
            return "type " + typeId + (name.isEmpty() ? "" : " " + name);
        }
    }
}
