package io.bpfmapd.map;

import io.swagger.v3.oas.annotations.media.Schema;

/** The mmap sessions open on a map. */
@Schema(description = "Open mmap sessions on a map")
public record SessionCounts(
        @Schema(description = "Open sessions", example = "1") int active,
        @Schema(description = "Open READ_WRITE sessions (they block freeze with EBUSY)", example = "1") int writable) {

    public static final SessionCounts NONE = new SessionCounts(0, 0);
}
