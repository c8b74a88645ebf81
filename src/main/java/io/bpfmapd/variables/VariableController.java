package io.bpfmapd.variables;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A libbpf global-data map's variables by name: the VARs of its DATASEC, as typed JSON. */
@RestController
@RequestMapping(path = "/api/v1/maps/{id}/variables", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "variables", description = "Global variables of a BPF object by name: the sections libbpf makes maps of "
        + "(.bss, .data, .rodata, .kconfig, .data.*), read and written as typed JSON")
class VariableController {

    private static final String PATHS = "Through a mapping when the map is MMAPABLE (only the variable's bytes), else "
            + "through BPF_MAP_LOOKUP_ELEM / BPF_MAP_UPDATE_ELEM of element 0, the whole section.";
    static final String NOT_A_SECTION = "No map with this id (type urn:bpfmapd:problem:map-not-found), a map without "
            + "BTF (btf-not-found), or one whose value type is no DATASEC (not-a-section)";

    private final VariableService variables;

    VariableController(VariableService variables) {
        this.variables = variables;
    }

    @GetMapping
    @Operation(summary = "List a section's global variables and their values",
            description = "The map's value type is a BTF DATASEC: the section's full name from it, then each variable "
                    + "{name, type, declaration, typeId, offset, size, linkage, value}. " + PATHS,
            operationId = "listVariables")
    @ApiResponse(responseCode = "200", description = "The section and its variables")
    @ApiResponse(responseCode = "400", description = "EINVAL: the section is larger than bpfmapd.api.max-json-bytes")
    @ApiResponse(responseCode = "403", description = "EPERM: the map was created BPF_F_WRONLY")
    @ApiResponse(responseCode = "404", description = NOT_A_SECTION)
    SectionResponse list(@PathVariable String id) {
        return variables.list(id);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Read one global variable", description = PATHS, operationId = "getVariable")
    @ApiResponse(responseCode = "200", description = "The variable and its value")
    @ApiResponse(responseCode = "400", description = "EINVAL: the variable is larger than bpfmapd.api.max-json-bytes")
    @ApiResponse(responseCode = "403", description = "EPERM: the map was created BPF_F_WRONLY")
    @ApiResponse(responseCode = "404", description = NOT_A_SECTION + "; or no variable of this name (variable-not-found)")
    VariableResponse get(@PathVariable String id, @PathVariable String name) {
        return variables.get(id, name);
    }

    @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.ALL_VALUE)
    @Operation(summary = "Write one global variable",
            description = "The value as typed JSON; a struct or union may name only some fields, and only their bits "
                    + "change. Through a writable mapping when the kernel gives one (MMAPABLE, not frozen, not "
                    + "BPF_F_RDONLY_PROG): only the variable's bytes are written. Otherwise a lookup of the section, "
                    + "the patch, and BPF_MAP_UPDATE_ELEM of the whole section: a BPF program's write to the section "
                    + "between the two is lost.",
            operationId = "updateVariable")
    @ApiResponse(responseCode = "204", description = "Written")
    @ApiResponse(responseCode = "400", description = "EINVAL naming the field path: an unknown field, a wrong JSON "
            + "type, a number out of range, a string too long; nothing is written")
    @ApiResponse(responseCode = "403", description = "EPERM: the map is frozen (libbpf freezes .rodata), was created "
            + "BPF_F_RDONLY, or is held read-only")
    @ApiResponse(responseCode = "404", description = NOT_A_SECTION + "; or no variable of this name (variable-not-found)")
    ResponseEntity<Void> put(@PathVariable String id, @PathVariable String name,
                             @Valid @RequestBody VariableWriteRequest request) {
        variables.put(id, name, request.value());
        return ResponseEntity.noContent().build();
    }
}
