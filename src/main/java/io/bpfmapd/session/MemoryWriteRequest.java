package io.bpfmapd.session;

import io.bpfmapd.map.ValueFields;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigInteger;
import java.util.List;

/** A JSON body of {@code PUT /sessions/{sid}/memory}: exactly one value field. */
@Schema(description = "Bytes to write through a session's mapping; give exactly one value field",
        example = "{\"u64\": [42]}")
public record MemoryWriteRequest(String hex, String base64, List<Long> u8, List<Long> u16, List<Long> u32,
                                 List<BigInteger> u64, List<Long> i64) implements ValueFields {
}
