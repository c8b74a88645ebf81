package io.bpfmapd.map;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;

/** The body of {@code POST /maps/{id}/pin}. */
@Schema(description = "Where to pin a map", example = """
        {"path": "telemetry_counters"}""")
public record PinMapRequest(
        @Schema(description = "A new name relative to the map's backend's pin root, or an absolute path under it "
                + "(KERNEL: bpfmapd.kernel.bpffs-root, default /sys/fs/bpf; EMULATED: <data-dir>/pins). Its "
                + "directory must exist; no '.' or '..' components; symlinks may not lead out of the root.",
                requiredMode = Schema.RequiredMode.REQUIRED, example = "telemetry_counters")
        @NotBlank String path) {
}
