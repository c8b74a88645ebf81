package io.bpfmapd.session;

import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code POST /sessions/{sid}/renew}; an empty body renews for the default TTL. */
@Schema(description = "A new lease time, counted from now", example = "{\"ttlSeconds\": 60}")
public record RenewSessionRequest(
        @Schema(description = "Lease time in seconds; default bpfmapd.sessions.default-ttl, at most "
                + "bpfmapd.sessions.max-ttl (else EINVAL)", example = "60") Long ttlSeconds) {
}
