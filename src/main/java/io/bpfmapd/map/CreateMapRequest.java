package io.bpfmapd.map;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapType;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * The body of {@code POST /maps}. Sizes are passed to the backend as given: it refuses what the kernel
 * refuses, with the kernel's errno (EINVAL for a zero value size, E2BIG for one too large).
 */
@Schema(description = "A new BPF array map", example = """
        {"name": "counters", "type": "ARRAY", "valueSize": 8, "maxEntries": 16, "flags": ["MMAPABLE"]}""")
public record CreateMapRequest(
        @Schema(description = "Kernel map name: at most 15 of [A-Za-z0-9_.]", example = "counters", defaultValue = "")
        @Pattern(regexp = "[A-Za-z0-9_.]{0,15}", message = "must be at most 15 characters of [A-Za-z0-9_.]")
        String name,
        @Schema(description = "Map type", requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull MapType type,
        @Schema(description = "Key size in bytes; arrays take 4 only", defaultValue = "4", example = "4")
        Integer keySize,
        @Schema(description = "Value size in bytes", requiredMode = Schema.RequiredMode.REQUIRED, example = "8")
        @NotNull Integer valueSize,
        @Schema(description = "Number of elements", requiredMode = Schema.RequiredMode.REQUIRED, example = "16")
        @NotNull Integer maxEntries,
        @Schema(description = "BPF_F_* map flags by name", example = "[\"MMAPABLE\"]")
        List<@NotNull MapFlag> flags,
        @Schema(description = "Where the map lives; default from bpfmapd.backend.default")
        BackendKind backend,
        @Schema(description = "Model a value holding a bpf_spin_lock: mmap and freeze then fail with ENOTSUPP",
                defaultValue = "false")
        Boolean valueHasSpinLock) {
}
