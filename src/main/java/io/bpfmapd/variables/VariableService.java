package io.bpfmapd.variables;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.map.MapService;
import io.bpfmapd.typed.TypedPatch;
import io.bpfmapd.typed.TypedValue;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * A global-data map's variables as bytes: the section is element 0 of the map. Through a mapping where
 * the kernel gives one (an MMAPABLE map, which libbpf makes of a section with a non-static variable), only
 * the variable's bytes are read or written; otherwise through BPF_MAP_LOOKUP_ELEM and, for a write, a
 * lookup, the patch, and BPF_MAP_UPDATE_ELEM of the whole section.
 *
 * <p>What a concurrent BPF program write can lose: through a mapping, nothing outside the bytes written,
 * and inside them only the bits of a byte a bitfield shares with others (that byte is read, merged and
 * written back). Through the syscall path, any write the program makes to the section between the lookup
 * and the update: the update copies the whole value (array_map_update_elem's copy_map_value). The
 * service's own writes to one map are serialised, so two requests never lose each other's.
 */
@Service
public class VariableService {

    /** Stripes of the lock that serialises the service's own writes of a section, by map id. */
    private static final int STRIPES = 64;
    private static final String OPERATION = "variables";

    private final MapService maps;
    private final ApiProperties api;
    private final ReentrantLock[] writeLocks = new ReentrantLock[STRIPES];

    public VariableService(MapService maps, ApiProperties api) {
        this.maps = maps;
        this.api = api;
        for (int i = 0; i < STRIPES; i++) {
            writeLocks[i] = new ReentrantLock();
        }
    }

    /**
     * The map's section and its variables, from its BTF.
     *
     * @throws io.bpfmapd.map.MapNotFoundException for an unknown map
     * @throws io.bpfmapd.map.BtfNotFoundException when the map has no BTF
     * @throws NotASectionException                when its value type is no DATASEC
     */
    public Section section(String id) {
        return Section.of(id, maps.spec(id), maps.btf(id));
    }

    /**
     * The section and every variable's value as typed JSON, from one read of the section.
     *
     * @throws BpfException EINVAL when the section is larger than bpfmapd.api.max-json-bytes (the answer
     *                      is built in memory; read the variables one by one then)
     */
    public SectionResponse list(String id) {
        Section section = section(id);
        if (section.size() > api.maxJsonBytes()) {
            throw new BpfException(Errno.EINVAL, OPERATION, "section " + section.name() + " has " + section.size()
                    + " bytes, more than one JSON answer holds (bpfmapd.api.max-json-bytes = " + api.maxJsonBytes()
                    + "): read its variables one by one");
        }
        MemorySegment bytes = MemorySegment.ofArray(read(id, 0, (int) section.size()));
        List<VariableResponse> out = new ArrayList<>(section.variables().size());
        for (Variable v : section.variables()) {
            out.add(VariableResponse.of(v, TypedValue.of(section.btf(), v.typeId()).toJson(bytes, v.offset())));
        }
        return new SectionResponse(id, section.name(), section.size(), out);
    }

    /**
     * One variable and its value as typed JSON, read alone (through a mapping: only its bytes).
     *
     * @throws VariableNotFoundException when the section has none of that name
     * @throws BpfException              EINVAL when it is larger than bpfmapd.api.max-json-bytes
     */
    public VariableResponse get(String id, String name) {
        Section section = section(id);
        Variable v = variable(id, section, name);
        TypedValue type = TypedValue.of(section.btf(), v.typeId());
        if (type.size() > api.maxJsonBytes()) {
            throw new BpfException(Errno.EINVAL, OPERATION, "variable " + name + " has " + type.size()
                    + " bytes, more than one JSON answer holds (bpfmapd.api.max-json-bytes = " + api.maxJsonBytes() + ")");
        }
        byte[] bytes = read(id, v.offset(), type.size());
        return VariableResponse.of(v, type.toJson(MemorySegment.ofArray(bytes), 0));
    }

    /**
     * Writes a variable from typed JSON; a struct or union naming only some fields writes only their bits.
     * The JSON is checked whole before anything is written.
     *
     * @throws VariableNotFoundException when the section has none of that name
     * @throws BpfException              EINVAL naming the field path for JSON the type does not take; the
     *                                   kernel's errno for the write (EPERM: frozen, BPF_F_RDONLY, held read-only)
     */
    public void put(String id, String name, JsonNode json) {
        Section section = section(id);
        Variable v = variable(id, section, name);
        TypedPatch patch = TypedValue.of(section.btf(), v.typeId()).parse(json);
        write(id, v.offset(), patch.bytes(), patch.mask());
    }

    /**
     * A variable of the map's section.
     *
     * @throws VariableNotFoundException when the section has none of that name
     */
    public Variable variable(String id, Section section, String name) {
        return section.variable(name).orElseThrow(() -> new VariableNotFoundException(id, section.name(), name));
    }

    /**
     * The bytes of {@code [offset, offset + length)} of the section.
     *
     * @throws BpfException the kernel's errno for the lookup (EPERM for a BPF_F_WRONLY map)
     */
    public byte[] read(String id, long offset, int length) {
        MapSpec spec = maps.spec(id);
        MapGeometry geometry = maps.geometry(id);
        return maps.withMap(id, h -> {
            Optional<Mapping> mapping = spec.has(MapFlag.MMAPABLE) ? mmap(h, geometry, offset, length, false) : Optional.empty();
            if (mapping.isPresent()) {
                try (Mapping m = mapping.get()) {
                    byte[] out = new byte[length];
                    m.read(offset - m.offset(), out, 0, length);
                    return out;
                }
            }
            return Arrays.copyOfRange(h.lookup(0), (int) offset, (int) offset + length);
        });
    }

    /**
     * Sets the bits of {@code [offset, offset + bytes.length)} where {@code mask} has ones to those of
     * {@code bytes}; the rest of the section stays as it is (up to the losses the class comment names).
     *
     * @throws BpfException the kernel's errno: EPERM for a frozen map (libbpf freezes .rodata) or one
     *                      created BPF_F_RDONLY, or held read-only
     */
    public void write(String id, long offset, byte[] bytes, byte[] mask) {
        if (bytes.length != mask.length) {
            throw new IllegalArgumentException("bytes and mask differ in length");
        }
        MapSpec spec = maps.spec(id);
        MapGeometry geometry = maps.geometry(id);
        ReentrantLock lock = writeLocks[Math.floorMod(id.hashCode(), STRIPES)];
        lock.lock();
        try {
            maps.withMap(id, h -> {
                // bpf_map_mmap refuses a writable mapping of a frozen map (EPERM), of a BPF_F_RDONLY_PROG one
                // (EACCES) and through an fd without write access; the syscall path then gives the kernel's
                // own answer for the write: map_update_elem's EPERM once frozen (map_get_sys_perms), and an
                // update of a RDONLY_PROG map, which that flag does not forbid from user space.
                Optional<Mapping> mapping = spec.has(MapFlag.MMAPABLE)
                        ? mmap(h, geometry, offset, bytes.length, true) : Optional.empty();
                if (mapping.isPresent()) {
                    try (Mapping m = mapping.get()) {
                        writeThrough(m, offset - m.offset(), bytes, mask);
                    }
                } else {
                    byte[] section = h.lookup(0);
                    merge(section, (int) offset, bytes, mask);
                    h.update(0, section, UpdateFlag.ANY);
                }
                return null;
            });
        } finally {
            lock.unlock();
        }
    }

    /** Each run of bytes the mask touches: read, merged, written; bytes outside the runs are not touched. */
    private static void writeThrough(Mapping m, long at, byte[] bytes, byte[] mask) {
        int i = 0;
        while (i < mask.length) {
            if (mask[i] == 0) {
                i++;
                continue;
            }
            int start = i;
            boolean whole = true;
            while (i < mask.length && mask[i] != 0) {
                whole &= mask[i] == (byte) 0xff;
                i++;
            }
            byte[] run = Arrays.copyOfRange(bytes, start, i);
            if (!whole) {
                byte[] old = new byte[run.length];
                m.read(at + start, old, 0, old.length);
                for (int j = 0; j < run.length; j++) {
                    run[j] = (byte) ((old[j] & ~mask[start + j]) | (run[j] & mask[start + j]));
                }
            }
            m.write(at + start, run, 0, run.length);
        }
    }

    private static void merge(byte[] section, int at, byte[] bytes, byte[] mask) {
        for (int j = 0; j < bytes.length; j++) {
            section[at + j] = (byte) ((section[at + j] & ~mask[j]) | (bytes[j] & mask[j]));
        }
    }

    /**
     * A mapping of the pages that hold {@code [offset, offset + length)} of element 0, or empty where the
     * kernel refuses it: the syscall path then answers with the kernel's errno for the operation itself.
     */
    private static Optional<Mapping> mmap(BpfMap h, MapGeometry geometry, long offset, long length, boolean writable) {
        long pageStart = geometry.pageStart(offset);
        try {
            return Optional.of(h.mmap(pageStart, Math.max(1, offset + length - pageStart), writable));
        } catch (BpfException refused) {
            return Optional.empty();
        }
    }
}
