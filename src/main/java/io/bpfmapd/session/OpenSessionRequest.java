package io.bpfmapd.session;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/** The body of {@code POST /maps/{id}/sessions}. */
@Schema(description = "A new mmap session on a map's value area",
        example = "{\"access\": \"READ_WRITE\", \"offset\": 0, \"ttlSeconds\": 60}")
public record OpenSessionRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull SessionAccess access,
        @Schema(description = "Byte offset in the value area; must be page-aligned (else EINVAL)", defaultValue = "0")
        @PositiveOrZero Long offset,
        @Schema(description = "Bytes to map, rounded up to a page; default: the rest of the value area from offset. "
                + "At most 2^40: no value area is larger, and a larger request is refused as invalid, not tried")
        @Positive @Max(1L << 40) Long length,
        @Schema(description = "Lease time in seconds; default bpfmapd.sessions.default-ttl, at most "
                + "bpfmapd.sessions.max-ttl (else EINVAL)", example = "60") Long ttlSeconds) {
}
