package io.bpfmapd.map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The mappings open on a map: its mmap sessions, and the temporary read-only mappings of whole-map
 * octet-stream reads streaming now. Those are no sessions (a client cannot list, renew or close them,
 * and {@code active} agrees with {@code GET /sessions?mapId=}), but they hold the map and count against
 * the session limits as sessions do, so they are shown here beside them.
 */
@Schema(description = "Open mmap sessions on a map, and the whole-map reads that map it now")
public record SessionCounts(
        @Schema(description = "Open sessions", example = "1") int active,
        @Schema(description = "Open READ_WRITE sessions (they block freeze with EBUSY)", example = "1") int writable,
        @Schema(description = "Whole-map octet-stream reads streaming now, each through a temporary read-only "
                + "mapping that counts as one of its principal's sessions; omitted when none", example = "0")
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int temporary) {

    public static final SessionCounts NONE = new SessionCounts(0, 0, 0);
}
