package io.bpfmapd.map;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.BackendKind;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /maps/import}. */
@Schema(description = "A map another program pinned, to be managed by the service", example = """
        {"path": "/sys/fs/bpf/agent/counters", "name": "agent-counters"}""")
public record ImportMapRequest(
        @Schema(description = "Where the map is pinned: relative to the backend's pin root, or absolute under it "
                + "(KERNEL: bpfmapd.kernel.bpffs-root, default /sys/fs/bpf; EMULATED: <data-dir>/pins). No '.' "
                + "or '..' components; symlinks may not lead out of the root.",
                requiredMode = Schema.RequiredMode.REQUIRED, example = "/sys/fs/bpf/agent/counters")
        @NotBlank String path,
        @Schema(description = "The service's name for the map; default the kernel's map name, else the pin's "
                + "file name", example = "agent-counters")
        @Size(max = 64) String name,
        @Schema(description = "Where the pinned map lives. Default KERNEL, whatever bpfmapd.backend.default says: "
                + "importing is for maps an eBPF program pinned in bpffs", defaultValue = "KERNEL")
        BackendKind backend,
        @Schema(description = "How the service opens the pin (BPF_OBJ_GET file_flags). READ_ONLY (BPF_F_RDONLY) needs "
                + "only read permission on the pin, no capability: values are read through lookups and "
                + "BPF_MAP_LOOKUP_BATCH; update and freeze are EPERM and sessions are refused with mmap's errno "
                + "(EINVAL: the kernel maps no read-only map fd)", defaultValue = "READ_WRITE")
        Access access) {

    /** A read-write import. */
    public ImportMapRequest(String path, String name, BackendKind backend) {
        this(path, name, backend, null);
    }

    /** The access asked for, READ_WRITE when none was. */
    Access accessOrDefault() {
        return access == null ? Access.READ_WRITE : access;
    }
}
