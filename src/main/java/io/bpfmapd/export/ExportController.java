package io.bpfmapd.export;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Metric views: map contents as Prometheus series on /actuator/prometheus, declared at run time. */
@RestController
@RequestMapping(path = ExportController.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "exports")
class ExportController {

    static final String PATH = "/api/v1/exports";

    private final ExportRegistry registry;

    ExportController(ExportRegistry registry) {
        this.registry = registry;
    }

    @GetMapping
    @Operation(summary = "List the metric views", operationId = "listExports")
    List<ExportResource> list() {
        return registry.list();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Declare a metric view",
            description = "Exposes a map's elements as Prometheus series on /actuator/prometheus from the next "
                    + "scrape on. Checked against the maps it names now; nothing changes when it is refused.",
            operationId = "createExport")
    @ApiResponse(responseCode = "201", description = "Declared; Location names the view")
    @ApiResponse(responseCode = "400", description = "EINVAL: a view that cannot apply (names, labels, format, "
            + "offset outside the value, buckets that do not divide the entries); E2BIG: more series than "
            + "bpfmapd.exports.max-series")
    @ApiResponse(responseCode = "404", description = "ENOENT: no held map has this id or pin path")
    @ApiResponse(responseCode = "409", description = "EEXIST: the view name or the metric name is taken")
    ResponseEntity<ExportResource> create(@Valid @RequestBody ViewSpec spec) {
        ExportResource view = registry.create(spec);
        return ResponseEntity.created(URI.create(PATH + "/" + view.name())).body(view);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Show a metric view and how its last scrape went", operationId = "getExport")
    @ApiResponse(responseCode = "200", description = "The view, with up, errors, error (why its last scrape failed), "
            + "lastScrape and series")
    @ApiResponse(responseCode = "404", description = "ENOENT: no view of this name")
    ExportResource get(@PathVariable String name) {
        return registry.get(name);
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Remove a metric view", description = "Its series are gone from the next scrape.",
            operationId = "deleteExport")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "404", description = "ENOENT: no view of this name")
    ResponseEntity<Void> delete(@PathVariable String name) {
        registry.delete(name);
        return ResponseEntity.noContent().build();
    }
}
