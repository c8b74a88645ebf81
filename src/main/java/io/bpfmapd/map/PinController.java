package io.bpfmapd.map;

import io.bpfmapd.map.MapService.MapView;
import io.bpfmapd.web.ApiDocs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Import of maps other programs pinned, and pinning of the service's maps (BPF_OBJ_GET, BPF_OBJ_PIN). */
@RestController
@RequestMapping(path = "/api/v1/maps", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "maps")
class PinController {

    private static final String PATH_400 = "EINVAL: a path outside the pin root, with a '.' or '..' component, or "
            + "empty; EXDEV: a symlink that leads out of the pin root or onto another file system";

    private final PinService pins;
    private final SessionCounter sessions;

    PinController(PinService pins, SessionCounter sessions) {
        this.pins = pins;
        this.sessions = sessions;
    }

    @PostMapping(path = "/import", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import a pinned map (BPF_OBJ_GET)",
            description = "Opens a map another program pinned (an eBPF agent in bpffs) and holds it like a map the "
                    + "service created. It is brought back under the same id after a restart while its pin exists. "
                    + "Deleting it closes the service's handle and leaves the pin.", operationId = "importMap")
    @ApiResponse(responseCode = "201", description = "Imported; Location names the map")
    @ApiResponse(responseCode = "400", description = PATH_400 + "; EINVAL: the pinned object is not an array map")
    @ApiResponse(responseCode = "404", description = "ENOENT: nothing is pinned at the path")
    @ApiResponse(responseCode = "409", description = "EEXIST: the service holds this map already")
    @ApiResponse(responseCode = "503", description = ApiDocs.BACKEND_UNAVAILABLE + ", or its pin root (bpffs) is "
            + "not mounted")
    ResponseEntity<MapResource> importMap(@Valid @RequestBody ImportMapRequest request) {
        MapResource map = resource(pins.importMap(request));
        return ResponseEntity.created(URI.create("/api/v1/maps/" + map.id())).body(map);
    }

    @PostMapping(path = "/{id}/pin", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Pin a map (BPF_OBJ_PIN)",
            description = "Pins the map under its backend's pin root, so that it outlives the service: after a "
                    + "restart (or kill -9) it is back under the same id, with its contents and frozen state. "
                    + "Deleting the map removes this pin.", operationId = "pinMap")
    @ApiResponse(responseCode = "200", description = "Pinned; the map, with pinnedPath")
    @ApiResponse(responseCode = "400", description = PATH_400)
    @ApiResponse(responseCode = "403", description = "EPERM: the pin root refuses the pin")
    @ApiResponse(responseCode = "404", description = ApiDocs.MAP_NOT_FOUND + "; ENOENT: the path's directory does "
            + "not exist")
    @ApiResponse(responseCode = "409", description = "EEXIST: the name is taken, or the map is pinned already")
    @ApiResponse(responseCode = "503", description = ApiDocs.BACKEND_UNAVAILABLE + ", or its pin root (bpffs) is "
            + "not mounted")
    MapResource pin(@PathVariable String id, @Valid @RequestBody PinMapRequest request) {
        return resource(pins.pin(id, request));
    }

    private MapResource resource(MapView v) {
        return MapResource.of(v.id(), v.backend(), v.createdAt(), v.info(), v.geometry(), sessions.countFor(v.id()), v.access(), v.typed());
    }
}
