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
 * refuses, with the kernel's errno (EINVAL for a zero value size, E2BIG for one too large). With a
 * {@code valueType}, the map is created with its BTF, and {@code valueSize} may be left out: it is then
 * the type's size; given, it must equal it, or the kernel's map_check_btf refuses it (EINVAL).
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
        @Schema(description = "Value size in bytes; required unless valueType gives it (then, if given, it must equal "
                + "the type's size: EINVAL otherwise)", example = "8")
        Integer valueSize,
        @Schema(description = "Number of elements", requiredMode = Schema.RequiredMode.REQUIRED, example = "16")
        @NotNull Integer maxEntries,
        @Schema(description = "BPF_F_* map flags by name", example = "[\"MMAPABLE\"]")
        List<@NotNull MapFlag> flags,
        @Schema(description = "Where the map lives; default from bpfmapd.backend.default")
        BackendKind backend,
        @Schema(description = "Sugar for a valueType of struct value { struct bpf_spin_lock lock; } padded to valueSize: "
                + "mmap and freeze then fail with ENOTSUPP. Not with valueType", defaultValue = "false")
        Boolean valueHasSpinLock,
        @Schema(description = "The value's type: the map is created with its BTF (so bpftool map dump shows the fields "
                + "by name), and its bpf_spin_lock and bpf_timer fields are special fields to the kernel", nullable = true)
        ValueType valueType) {

    /** A request without a value type. */
    public CreateMapRequest(String name, MapType type, Integer keySize, Integer valueSize, Integer maxEntries,
                            List<MapFlag> flags, BackendKind backend, Boolean valueHasSpinLock) {
        this(name, type, keySize, valueSize, maxEntries, flags, backend, valueHasSpinLock, null);
    }
}
