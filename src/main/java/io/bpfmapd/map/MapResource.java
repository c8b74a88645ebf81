package io.bpfmapd.map;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A map as the API shows it. */
@Schema(description = "A BPF array map held by the service")
public record MapResource(
        @Schema(description = "Service id of the map (UUID)", example = "5f0c6c0e-7c1e-4b55-9a40-1f5d1c3a9b11") String id,
        @Schema(description = "Kernel map name (of an imported map: the name given at import, if any)", example = "counters") String name,
        MapType type,
        BackendKind backend,
        @Schema(example = "4") int keySize,
        @Schema(example = "8") int valueSize,
        @Schema(description = "round_up(valueSize, 8): the stride between elements", example = "8") long elemSize,
        @Schema(example = "16") int maxEntries,
        @Schema(description = "BPF_F_* flags by name") List<MapFlag> flags,
        @Schema(description = "Created with BPF_F_MMAPABLE: sessions may map it") boolean mmapable,
        @Schema(description = "BPF_MAP_FREEZE succeeded") boolean frozen,
        @Schema(description = "PAGE_ALIGN(maxEntries * elemSize): bytes of the value area", example = "4096") long dataSize,
        @Schema(description = "PAGE_SIZE of the backend's kernel (sysconf(_SC_PAGESIZE)): session offsets are multiples of it", example = "4096") long pageSize,
        SessionCounts sessions,
        Instant createdAt,
        @Schema(description = "Kernel map id (for the emulation, its own counter)", example = "42") long kernelId,
        @Schema(description = "Where the map is pinned (by the service, or by the program it was imported from), or null", nullable = true) String pinnedPath,
        @Schema(description = "The value has BTF special fields (a bpf_spin_lock or bpf_timer): mmap and freeze fail with ENOTSUPP") boolean valueHasSpinLock,
        @Schema(description = "The value has a BTF type (a map created with a valueType, or a libbpf map with BTF): "
                + "format=typed and GET /maps/{id}/btf answer for it, and GET /maps/{id}/variables for a section's") boolean typed,
        @Schema(description = "Present only for a map the service holds read-only (an import with access READ_ONLY): "
                + "it is read through lookups and BPF_MAP_LOOKUP_BATCH; writes and freeze are EPERM, sessions EINVAL "
                + "(EACCES if writable). Absent: read-write", nullable = true)
        @JsonInclude(JsonInclude.Include.NON_NULL) Access access) {

    static MapResource of(String id, BackendKind backend, Instant createdAt, MapInfo info, MapGeometry geometry,
                          SessionCounts sessions, Access access, boolean typed) {
        MapSpec spec = info.spec();
        return new MapResource(id, spec.name(), spec.type(), backend, spec.keySize(), spec.valueSize(),
                geometry.elemSize(), spec.maxEntries(), List.copyOf(MapFlag.fromBits(spec.flags())),
                spec.has(MapFlag.MMAPABLE), info.frozen(), geometry.dataSize(),
                geometry.pageSize(), sessions, createdAt, info.id(),
                info.pinnedPath().map(Object::toString).orElse(null), spec.valueHasSpinLock(), typed,
                access == Access.READ_ONLY ? access : null);
    }
}
