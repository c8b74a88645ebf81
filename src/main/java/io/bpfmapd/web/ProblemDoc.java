package io.bpfmapd.web;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.Errno;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The shape of every error body, for the OpenAPI document (the handler builds a ProblemDetail): RFC 9457's
 * five members, then one component per member of {@link ProblemWriter#EXTENSIONS}, each absent where it does
 * not apply (never null). {@code errno} and {@code backend} are the named enums {@link Errno} and
 * {@link BackendKind}, so a generated client reads them as its own enum types.
 */
@Schema(name = "Problem", description = "RFC 9457 problem detail, served as application/problem+json",
        requiredProperties = {"type", "title", "status"},
        example = """
                {"type": "urn:bpfmapd:problem:ebusy", "title": "Device or resource busy (EBUSY)", "status": 409,
                 "detail": "freeze: EBUSY (a writable mapping exists)", "instance": "/api/v1/maps/5f0c6c0e-7c1e-4b55-9a40-1f5d1c3a9b11/freeze",
                 "errno": "EBUSY", "operation": "freeze"}""")
public record ProblemDoc(
        @Schema(description = "Stable identifier of the kind of problem: urn:bpfmapd:problem:<errno or name>",
                example = "urn:bpfmapd:problem:ebusy", format = "uri") String type,
        @Schema(description = "Short summary, the same for every problem of one type", example = "Device or resource busy (EBUSY)")
        String title,
        @Schema(description = "HTTP status", example = "409", format = "int32") int status,
        @Schema(description = "What went wrong this time") String detail,
        @Schema(description = "The request path", format = "uri-reference") String instance,
        @Schema(description = "Symbolic errno, when the failure is one (also EINVAL for refused input, ENOENT for "
                + "unknown ids, ENOKEY for a missing credential, EACCES for a refused one)") Errno errno,
        @Schema(description = "The BPF or service operation that failed", example = "freeze") String operation,
        @Schema(description = "Each refused field, for validation failures") List<String> errors,
        @Schema(description = "The backend that is unavailable (backend-unavailable)") BackendKind backend,
        @Schema(description = "The property that sets the limit the request would pass (limit-exceeded)",
                example = "bpfmapd.limits.max-sessions") String limit,
        @Schema(description = "That limit's value (limit-exceeded)", example = "4096", format = "int64") Long max) {
}
