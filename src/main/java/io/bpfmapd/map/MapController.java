package io.bpfmapd.map;

import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.map.MapService.DataStream;
import io.bpfmapd.map.MapService.MapView;
import io.bpfmapd.web.ApiDocs;
import io.bpfmapd.web.ContentTag;
import io.bpfmapd.web.CurrentPrincipal;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.ArrayList;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;

/** Maps and their values through the syscall path (BPF_MAP_LOOKUP_ELEM / UPDATE_ELEM / FREEZE). */
@RestController
@RequestMapping(path = "/api/v1/maps", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "maps", description = "BPF array maps: create, freeze, delete, and values through lookup/update")
class MapController {

    private final MapService maps;
    private final SessionCounter sessions;
    private final CurrentPrincipal principal;

    MapController(MapService maps, SessionCounter sessions, CurrentPrincipal principal) {
        this.maps = maps;
        this.sessions = sessions;
        this.principal = principal;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a map (BPF_MAP_CREATE)", operationId = "createMap")
    @ApiResponse(responseCode = "201", description = "Created; Location names the map")
    @ApiResponse(responseCode = "400", description = ApiDocs.CREATE_400)
    @ApiResponse(responseCode = "422", description = ApiDocs.ENOTSUPP)
    @ApiResponse(responseCode = "503", description = ApiDocs.BACKEND_UNAVAILABLE)
    ResponseEntity<MapResource> create(@Valid @RequestBody CreateMapRequest request) {
        MapResource map = resource(maps.create(request));
        return ResponseEntity.created(URI.create("/api/v1/maps/" + map.id())).body(map);
    }

    @GetMapping
    @Operation(summary = "List the maps the service holds", operationId = "listMaps")
    @ApiResponse(responseCode = "200", description = "Every map, oldest first")
    @ApiResponse(responseCode = "406", description = ApiDocs.NOT_ACCEPTABLE)
    List<MapResource> list() {
        List<MapResource> out = new ArrayList<>();
        for (MapView v : maps.list()) {
            out.add(resource(v));
        }
        return out;
    }

    @GetMapping("/{id}")
    @Operation(summary = "Show a map", operationId = "getMap")
    @ApiResponse(responseCode = "200", description = "The map")
    @ApiResponse(responseCode = "404", description = ApiDocs.MAP_NOT_FOUND)
    MapResource get(@PathVariable String id) {
        return resource(maps.get(id));
    }

    @DeleteMapping(path = "/{id}", produces = MediaType.ALL_VALUE)
    @Operation(summary = "Delete a map: close the service's handle",
            description = "The map is gone from the service at once; sessions still open on it keep their "
                    + "mapping (and the map's memory) until they are closed or expire.", operationId = "deleteMap")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = ApiDocs.MAP_NOT_FOUND)
    ResponseEntity<Void> delete(@PathVariable String id) {
        maps.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/freeze")
    @Operation(summary = "Freeze a map (BPF_MAP_FREEZE)",
            description = "Refused with EBUSY while a READ_WRITE session is open; afterwards updates and "
                    + "writable sessions are refused with EPERM, lookups and read-only sessions still work.",
            operationId = "freezeMap")
    @ApiResponse(responseCode = "200", description = "Frozen; the map")
    @ApiResponse(responseCode = "403", description = "EPERM: already frozen")
    @ApiResponse(responseCode = "404", description = ApiDocs.MAP_NOT_FOUND)
    @ApiResponse(responseCode = "409", description = "EBUSY: a writable mapping (READ_WRITE session) exists")
    @ApiResponse(responseCode = "422", description = ApiDocs.ENOTSUPP)
    MapResource freeze(@PathVariable String id) {
        return resource(maps.freeze(id));
    }

    @GetMapping(path = "/{id}/btf", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "The map's key and value types, from its BTF",
            description = "The BTF the map was created with (the kernel's: bpf_map_info's btf_id, then the BTF object's "
                    + "blob; the emulation's, kept in its map file: a map created with a valueType or valueHasSpinLock): "
                    + "every type reachable from the key "
                    + "and value types, as JSON; with format=c, as C declarations, as bpftool btf dump format c prints "
                    + "them (text/plain).",
            operationId = "getMapBtf")
    @ApiResponse(responseCode = "200", description = "The types", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = MapBtfResponse.class)),
            @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "400", description = "EINVAL: a format other than json or c")
    @ApiResponse(responseCode = "404", description = ApiDocs.BTF_NOT_FOUND)
    @ApiResponse(responseCode = "422", description = "EOPNOTSUPP: BTF this service cannot read (a kind of a newer kernel)")
    ResponseEntity<?> btf(@PathVariable String id,
                          @Parameter(schema = @Schema(implementation = BtfFormat.class, defaultValue = "json"))
                          @RequestParam(required = false) String format) {
        MapBtfView view = MapBtfView.of(maps.btf(id), format);
        return view.c() == null
                ? ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(view.json())
                : ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(view.c());
    }

    @GetMapping("/{id}/values/{index}")
    @Operation(summary = "Read one value (BPF_MAP_LOOKUP_ELEM)",
            description = ApiDocs.PERCPU_VALUES, operationId = "lookupValue")
    @ApiResponse(responseCode = "200", description = "The value in the format asked for; ETag: " + ApiDocs.ETAG)
    @ApiResponse(responseCode = "304", description = "If-None-Match names the value's current ETag")
    @ApiResponse(responseCode = "400", description = ApiDocs.FORMAT_400)
    @ApiResponse(responseCode = "403", description = "EPERM: the map was created BPF_F_WRONLY")
    @ApiResponse(responseCode = "404", description = "ENOENT: index >= maxEntries; or no such map")
    ResponseEntity<ValueResponse> lookup(@PathVariable String id, @PathVariable @Min(0) int index,
                         @Parameter(schema = @Schema(implementation = ValueFormat.class,
                                 defaultValue = ValueFormat.DEFAULT_NAME)) @RequestParam(required = false) String format) {
        ValueFormat f = ValueFormat.parse(format);
        TypedValues type = maps.typedValues(id, f);
        byte[] value = maps.lookup(id, index);
        ValueResponse body = new ValueResponse(index, MapService.encode(value, f, type, "lookup"));
        // Spring answers a matching If-None-Match with 304 and no body (HttpEntityMethodProcessor).
        return ResponseEntity.ok().eTag(ContentTag.of(f.field() + " index=" + index).add(value).etag()).body(body);
    }

    @PutMapping(path = "/{id}/values/{index}", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.ALL_VALUE)
    @Operation(summary = "Write one value (BPF_MAP_UPDATE_ELEM)",
            description = "Give exactly one value field. " + ApiDocs.TYPED_WRITES + " " + ApiDocs.PERCPU_VALUES,
            operationId = "updateValue")
    @ApiResponse(responseCode = "204", description = "Written")
    @ApiResponse(responseCode = "400", description = "EINVAL: no or several value fields, a value of the wrong "
            + "size, a bad number; E2BIG: index >= maxEntries")
    @ApiResponse(responseCode = "403", description = "EPERM: the map is frozen, or was created BPF_F_RDONLY")
    @ApiResponse(responseCode = "404", description = ApiDocs.MAP_NOT_FOUND)
    @ApiResponse(responseCode = "409", description = "EEXIST: flags NOEXIST (array elements always exist)")
    ResponseEntity<Void> update(@PathVariable String id, @PathVariable @Min(0) int index,
                                @Valid @RequestBody ValueWriteRequest request) {
        UpdateFlag flag = request.flags() == null ? UpdateFlag.ANY : request.flags();
        Optional<JsonNode> typed = ValueCodec.typedField(request.values(), "update");
        if (typed.isPresent()) {
            maps.updateTyped(id, index, typed.get(), flag);
        } else {
            maps.update(id, index, ValueCodec.decode(request.values(), "update"), flag);
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/values")
    @Operation(summary = "Read consecutive values (lookups)",
            description = "Values of [from, from + count), stopping at maxEntries. " + ApiDocs.PERCPU_VALUES
                    + " (The same path with Accept: application/octet-stream is readDataArea.)",
            operationId = "lookupRange")
    @ApiResponse(responseCode = "200", description = "The values, with an ETag: " + ApiDocs.ETAG)
    @ApiResponse(responseCode = "304", description = "If-None-Match names the values' current ETag")
    @ApiResponse(responseCode = "400", description = "EINVAL: negative from or count, count above "
            + "bpfmapd.api.max-range-count, values above bpfmapd.api.max-json-bytes together, or a bad format")
    @ApiResponse(responseCode = "404", description = ApiDocs.MAP_NOT_FOUND)
    ResponseEntity<ValueRangeResponse> range(@PathVariable String id,
                             @RequestParam(defaultValue = "0") int from,
                             @Parameter(description = "How many values: at most bpfmapd.api.max-range-count, and at most "
                                     + "bpfmapd.api.max-json-bytes of value bytes together; by default as many as both allow")
                             @RequestParam(required = false) Integer count,
                             @Parameter(schema = @Schema(implementation = ValueFormat.class,
                                     defaultValue = ValueFormat.DEFAULT_NAME)) @RequestParam(required = false) String format) {
        ValueFormat f = ValueFormat.parse(format);
        TypedValues type = maps.typedValues(id, f);
        List<byte[]> values = count == null ? maps.range(id, from) : maps.range(id, from, count);
        List<ValueResponse> out = new ArrayList<>(values.size());
        ContentTag tag = ContentTag.of(f.field() + " from=" + from + " count=" + values.size());
        for (int i = 0; i < values.size(); i++) {
            out.add(new ValueResponse(from + i, MapService.encode(values.get(i), f, type, "lookup")));
            tag.add(values.get(i));
        }
        return ResponseEntity.ok().eTag(tag.etag()).body(new ValueRangeResponse(from, out.size(), f, out));
    }

    /**
     * The data area as one download, at a path of its own so that a generated client has an operation
     * that returns bytes; {@code GET /values} with {@code Accept: application/octet-stream} is the same
     * (it came first, and stays for the clients that use it). No ETag: a strong tag must match the bytes
     * sent, and these stream from a live mapping; hashing them first would be a second pass over the whole
     * map that a concurrent write can make disagree with the body.
     */
    @GetMapping(path = "/{id}/data", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(summary = "Download the whole data area", description = "The map's values as one body: "
            + ApiDocs.DATA_AREA + " The same as GET /values with Accept: application/octet-stream.",
            operationId = "readDataArea")
    @ApiResponse(responseCode = "200", description = "The data area; Content-Length is its size", content =
            @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string",
                    format = "binary")))
    @ApiResponse(responseCode = "403", description = "EACCES: the map was created BPF_F_WRONLY")
    @ApiResponse(responseCode = "404", description = ApiDocs.MAP_NOT_FOUND)
    ResponseEntity<StreamingResponseBody> dataArea(@PathVariable String id) {
        DataStream data = maps.dataStream(id, principal.name());
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(data.length())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(data.body()::writeTo);
    }

    @GetMapping("/{id}/dump")
    @Operation(summary = "Read every value as one JSON answer, streamed",
            description = "The shape of a range read of the whole map (from 0, count maxEntries), streamed from the "
                    + "data area one element at a time as GET /data is: max-range-count and max-json-bytes do not "
                    + "apply, and there is no ETag. " + ApiDocs.PERCPU_VALUES,
            operationId = "dumpValues")
    @ApiResponse(responseCode = "200", description = "Every value")
    @ApiResponse(responseCode = "400", description = ApiDocs.FORMAT_400)
    @ApiResponse(responseCode = "403", description = "EACCES or EPERM: the map was created BPF_F_WRONLY")
    @ApiResponse(responseCode = "404", description = ApiDocs.MAP_NOT_FOUND)
    ResponseEntity<StreamingResponseBody> dump(@PathVariable String id,
                                               @Parameter(schema = @Schema(implementation = ValueFormat.class,
                                                       defaultValue = ValueFormat.DEFAULT_NAME))
                                               @RequestParam(required = false) String format) {
        DataStream data = maps.dump(id, principal.name(), ValueFormat.parse(format));
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(data.body()::writeTo);
    }

    /** {@link #dataArea} by content negotiation on the values' path, as the first clients call it. */
    @GetMapping(path = "/{id}/values", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Hidden
    ResponseEntity<StreamingResponseBody> valuesAsBytes(@PathVariable String id) {
        return dataArea(id);
    }

    private MapResource resource(MapView v) {
        return MapResource.of(v.id(), v.backend(), v.createdAt(), v.info(), v.geometry(), sessions.countFor(v.id()), v.access(), v.typed());
    }
}
