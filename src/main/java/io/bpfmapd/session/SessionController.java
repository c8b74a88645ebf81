package io.bpfmapd.session;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.map.EncodedValue;
import io.bpfmapd.map.ValueCodec;
import io.bpfmapd.map.ValueFormat;
import io.bpfmapd.session.SessionRegistry.SessionStream;
import io.bpfmapd.web.ApiDocs;
import io.bpfmapd.web.CurrentPrincipal;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.PositiveOrZero;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;

/** mmap sessions: open, renew, close, and reads and writes through the mapping. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "sessions", description = "mmap sessions: shared mappings of a map's value area, held as leases")
class SessionController {

    private static final String FORMATS_PARAM_DOC = "Value format of the JSON answer";

    private final SessionRegistry sessions;
    private final CurrentPrincipal principal;

    SessionController(SessionRegistry sessions, CurrentPrincipal principal) {
        this.sessions = sessions;
        this.principal = principal;
    }

    @PostMapping(path = "/maps/{id}/sessions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Open a session (mmap MAP_SHARED of a window of the value area)", operationId = "openSession",
            description = "READ_WRITE sessions count as writable mappings: freeze is refused with EBUSY while one is open.")
    @ApiResponse(responseCode = "201", description = "Opened; Location names the session")
    @ApiResponse(responseCode = "400", description = "EINVAL: map not MMAPABLE, offset not page-aligned, window past "
            + "the value area, ttlSeconds out of range; a refused field or malformed JSON")
    @ApiResponse(responseCode = "403", description = "EPERM: READ_WRITE on a frozen map; EACCES: READ_WRITE on a "
            + "BPF_F_RDONLY_PROG map, or any session on a BPF_F_WRONLY map")
    @ApiResponse(responseCode = "404", description = ApiDocs.MAP_NOT_FOUND)
    @ApiResponse(responseCode = "422", description = ApiDocs.ENOTSUPP)
    ResponseEntity<SessionResource> open(@PathVariable String id, @Valid @org.springframework.web.bind.annotation.RequestBody
                                         OpenSessionRequest request) {
        SessionResource session = sessions.open(id, request, principal.name());
        return ResponseEntity.created(URI.create("/api/v1/sessions/" + session.id())).body(session);
    }

    @GetMapping("/sessions")
    @Operation(summary = "List open sessions", operationId = "listSessions")
    @ApiResponse(responseCode = "200", description = "Open sessions, oldest first")
    @ApiResponse(responseCode = "406", description = ApiDocs.NOT_ACCEPTABLE)
    List<SessionResource> list(@Parameter(description = "Only the sessions of this map")
                               @RequestParam(required = false) String mapId) {
        return sessions.list(mapId);
    }

    @GetMapping("/sessions/{sid}")
    @Operation(summary = "Show a session", operationId = "getSession")
    @ApiResponse(responseCode = "200", description = "The session")
    @ApiResponse(responseCode = "404", description = ApiDocs.SESSION_NOT_FOUND)
    SessionResource get(@PathVariable String sid) {
        return sessions.get(sid);
    }

    @PostMapping("/sessions/{sid}/renew")
    @Operation(summary = "Renew a session's lease: it expires ttlSeconds from now", operationId = "renewSession")
    @ApiResponse(responseCode = "200", description = "Renewed; the session")
    @ApiResponse(responseCode = "400", description = "EINVAL: ttlSeconds out of range; malformed JSON")
    @ApiResponse(responseCode = "404", description = ApiDocs.SESSION_NOT_FOUND)
    SessionResource renew(@PathVariable String sid,
                          @org.springframework.web.bind.annotation.RequestBody(required = false)
                          RenewSessionRequest request) {
        return sessions.renew(sid, request == null ? null : request.ttlSeconds());
    }

    @DeleteMapping(path = "/sessions/{sid}", produces = MediaType.ALL_VALUE)
    @Operation(summary = "Close a session (munmap)", operationId = "closeSession")
    @ApiResponse(responseCode = "204", description = "Closed")
    @ApiResponse(responseCode = "404", description = ApiDocs.SESSION_NOT_FOUND)
    ResponseEntity<Void> close(@PathVariable String sid) {
        sessions.close(sid);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/sessions/{sid}/memory")
    @Operation(summary = "Read through the mapping", operationId = "readMemory",
            description = "offset and length are relative to the session's window; length defaults to the rest "
                    + "of the window. The raw bytes: readMemoryBytes. format=typed (a map with a BTF value type) gives an "
                    + "array of the typed elements the range covers; it must start at an element boundary (elements are "
                    + "round_up(valueSize, 8) bytes apart) and be whole elements, else EINVAL; without a length, the "
                    + "whole elements up to the window's end or the map's last element.")
    @ApiResponse(responseCode = "200", description = "The bytes in the format asked for")
    @ApiResponse(responseCode = "400", description = ApiDocs.MEMORY_400)
    @ApiResponse(responseCode = "404", description = ApiDocs.SESSION_NOT_FOUND)
    @ApiResponse(responseCode = "410", description = ApiDocs.SESSION_CLOSED)
    MemoryResponse read(@PathVariable String sid,
                        @RequestParam(defaultValue = "0") @PositiveOrZero long offset,
                        @RequestParam(required = false) @PositiveOrZero Long length,
                        @Parameter(description = FORMATS_PARAM_DOC, schema = @Schema(implementation = ValueFormat.class,
                                defaultValue = ValueFormat.DEFAULT_NAME))
                        @RequestParam(required = false) String format) {
        ValueFormat f = ValueFormat.parse(format);
        if (f == ValueFormat.TYPED) {
            EncodedValue typed = sessions.readTyped(sid, offset, length);
            return new MemoryResponse(offset, typed.bytes().length, typed);
        }
        byte[] bytes = sessions.read(sid, offset, length);
        return new MemoryResponse(offset, bytes.length, ValueCodec.encode(bytes, f, "session.read"));
    }

    /**
     * The raw bytes, at a path of their own so that a generated client has an operation that returns bytes;
     * {@code GET /memory} with {@code Accept: application/octet-stream} is the same (it came first and stays).
     */
    @GetMapping(path = "/sessions/{sid}/memory/bytes", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(summary = "Read raw bytes through the mapping", operationId = "readMemoryBytes",
            description = "offset and length are relative to the session's window; length defaults to the rest "
                    + "of the window. Streamed from the mapping (max-json-bytes does not apply). A close racing a "
                    + "read gives 410 if it wins before the first byte is sent; after that, the response ends short "
                    + "of its Content-Length. The same as GET /memory with Accept: application/octet-stream.")
    @ApiResponse(responseCode = "200", description = "The bytes; Content-Length is their count", content =
            @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string",
                    format = "binary")))
    @ApiResponse(responseCode = "400", description = "EINVAL: offset or length outside the session's window")
    @ApiResponse(responseCode = "404", description = ApiDocs.SESSION_NOT_FOUND)
    @ApiResponse(responseCode = "410", description = ApiDocs.SESSION_CLOSED)
    ResponseEntity<StreamingResponseBody> readRaw(@PathVariable String sid,
                                                  @RequestParam(defaultValue = "0") @PositiveOrZero long offset,
                                                  @RequestParam(required = false) @PositiveOrZero Long length) {
        return readBytes(sid, offset, length);
    }

    /** {@link #readRaw} by content negotiation on the JSON read's path, as the first clients call it. */
    @GetMapping(path = "/sessions/{sid}/memory", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Hidden
    ResponseEntity<StreamingResponseBody> readBytes(@PathVariable String sid,
                                                    @RequestParam(defaultValue = "0") @PositiveOrZero long offset,
                                                    @RequestParam(required = false) @PositiveOrZero Long length) {
        SessionStream stream = sessions.stream(sid, offset, length);
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(stream.length())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(stream.body()::writeTo);
    }

    @PutMapping(path = "/sessions/{sid}/memory", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.ALL_VALUE)
    @Operation(summary = "Write through the mapping", operationId = "writeMemory",
            description = "A JSON body with exactly one value field, written at offset in the window, all or "
                    + "nothing. READ_WRITE sessions only. Raw bytes: writeMemoryBytes. typed takes an array of typed "
                    + "elements, the first at offset (an element boundary); a struct naming only some fields writes only "
                    + "their bytes through the mapping. A wrong field, JSON type or range is EINVAL naming the element "
                    + "and field path, and nothing is written.")
    @ApiResponse(responseCode = "204", description = "Written")
    @ApiResponse(responseCode = "400", description = "EINVAL: the bytes do not fit the window from offset; no or "
            + "several value fields; malformed JSON")
    @ApiResponse(responseCode = "403", description = "EACCES: the session is READ_ONLY")
    @ApiResponse(responseCode = "404", description = ApiDocs.SESSION_NOT_FOUND)
    @ApiResponse(responseCode = "410", description = ApiDocs.SESSION_CLOSED)
    ResponseEntity<Void> write(@PathVariable String sid,
                               @RequestParam(defaultValue = "0") @PositiveOrZero long offset,
                               @Valid @org.springframework.web.bind.annotation.RequestBody MemoryWriteRequest request) {
        Optional<JsonNode> typed = ValueCodec.typedField(request.values(), "session.write");
        if (typed.isPresent()) {
            sessions.writeTyped(sid, offset, typed.get());
        } else {
            sessions.write(sid, offset, ValueCodec.decode(request.values(), "session.write"));
        }
        return ResponseEntity.noContent().build();
    }

    /**
     * Raw bytes, at a path of their own so that a generated client has an operation that takes bytes;
     * {@code PUT /memory} with {@code Content-Type: application/octet-stream} is the same (it came first and stays).
     */
    @PutMapping(path = "/sessions/{sid}/memory/bytes", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            produces = MediaType.ALL_VALUE)
    @Operation(summary = "Write raw bytes through the mapping", operationId = "writeMemoryBytes",
            description = "The body's bytes, written at offset in the window, all or nothing. READ_WRITE sessions "
                    + "only. The same as PUT /memory with Content-Type: application/octet-stream.",
            requestBody = @RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "204", description = "Written")
    @ApiResponse(responseCode = "400", description = "EINVAL: the bytes do not fit the window from offset")
    @ApiResponse(responseCode = "403", description = "EACCES: the session is READ_ONLY")
    @ApiResponse(responseCode = "404", description = ApiDocs.SESSION_NOT_FOUND)
    @ApiResponse(responseCode = "410", description = ApiDocs.SESSION_CLOSED)
    ResponseEntity<Void> writeRaw(@PathVariable String sid,
                                  @RequestParam(defaultValue = "0") @PositiveOrZero long offset,
                                  HttpServletRequest http) throws IOException {
        return writeBytes(sid, offset, http);
    }

    /** {@link #writeRaw} by content type on the JSON write's path, as the first clients call it. */
    @PutMapping(path = "/sessions/{sid}/memory", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            produces = MediaType.ALL_VALUE)
    @Hidden
    ResponseEntity<Void> writeBytes(@PathVariable String sid,
                                    @RequestParam(defaultValue = "0") @PositiveOrZero long offset,
                                    HttpServletRequest http) throws IOException {
        long room = Math.max(sessions.windowLength(sid) - offset, 0);
        sessions.write(sid, offset, readAtMost(http.getInputStream(), room, sid));
        return ResponseEntity.noContent().build();
    }

    /** Reads the whole body, refusing (before any write) one longer than the window can take. */
    private static byte[] readAtMost(InputStream in, long room, String sid) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(room, Integer.MAX_VALUE - 8));
        if (in.read() != -1) {
            throw new BpfException(Errno.EINVAL, "session.write", "the body is longer than the " + room
                    + " bytes left in session " + sid + "'s window from this offset");
        }
        return body;
    }
}
