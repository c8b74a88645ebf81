package io.bpfmapd.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigInteger;
import java.util.List;

/** Bytes read through a session; exactly one value field is present, the one ?format= asked for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Bytes read through a session's mapping; one value field, the one ?format= asked for",
        example = "{\"offset\": 24, \"length\": 8, \"hex\": \"2a00000000000000\"}")
public record MemoryResponse(
        @Schema(description = "Offset in the session's window", example = "24") long offset,
        @Schema(example = "8") int length,
        String hex,
        String base64,
        List<Long> u8,
        List<Long> u16,
        List<Long> u32,
        List<BigInteger> u64,
        List<Long> i64) {
}
