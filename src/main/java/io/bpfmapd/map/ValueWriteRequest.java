package io.bpfmapd.map;

import io.bpfmapd.backend.UpdateFlag;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigInteger;
import java.util.List;

/** The body of {@code PUT /maps/{id}/values/{index}}: exactly one value field, and the update flag. */
@Schema(description = "A value to write with BPF_MAP_UPDATE_ELEM; give exactly one value field",
        example = "{\"hex\": \"6f00000000000000\", \"flags\": \"ANY\"}")
public record ValueWriteRequest(
        @Schema(example = "6f00000000000000") String hex,
        String base64,
        List<Long> u8,
        List<Long> u16,
        List<Long> u32,
        List<BigInteger> u64,
        List<Long> i64,
        @Schema(description = "BPF_ANY (default), BPF_NOEXIST (arrays: always EEXIST) or BPF_EXIST",
                defaultValue = "ANY") UpdateFlag flags) implements ValueFields {
}
