package io.bpfmapd.session;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A session as the API shows it. */
@Schema(description = "An mmap session: one shared mapping of a window of a map's value area, held as a lease")
public record SessionResource(
        @Schema(description = "Session id (UUID)", example = "0b3a2f9e-55d8-4c8a-9d8e-2a6a3f1c7d20") String id,
        @Schema(description = "The map's id", example = "5f0c6c0e-7c1e-4b55-9a40-1f5d1c3a9b11") String mapId,
        SessionAccess access,
        @Schema(description = "Window start in the value area", example = "0") long offset,
        @Schema(description = "Window length: the mapped bytes, a whole number of pages", example = "4096") long length,
        @Schema(description = "Principal that opened it", example = "anonymous") String owner,
        Instant createdAt,
        @Schema(description = "When the lease expires unless renewed") Instant expiresAt) {
}
