package io.bpfmapd.security;

import io.bpfmapd.web.CurrentPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who the caller is and what its roles let it do, so that a client (the console) shows only the actions
 * it may take. Read from the same rules the filter chain enforces ({@link ApiAccessRules}); it grants
 * nothing: every action is still authorized when it is requested. Any authenticated role may read it,
 * by the table's rule for GET.
 */
@RestController
@Tag(name = "whoami", description = "The caller's principal, roles and permitted operations")
class WhoAmIController {

    private final CurrentPrincipal principal;

    WhoAmIController(CurrentPrincipal principal) {
        this.principal = principal;
    }

    @Schema(description = "The caller as the access rules see it",
            example = "{\"principal\": \"ops\", \"roles\": [\"reader\"], \"operations\": []}")
    record WhoAmI(
            @Schema(description = "The token's name; anonymous in open mode", example = "ops") String principal,
            @ArraySchema(schema = @Schema(description = "A role held, each included role listed too",
                    allowableValues = {"reader", "writer", "admin"})) List<String> roles,
            @ArraySchema(schema = @Schema(description = "An operation of the audit log the roles allow (a session's "
                    + "renew, write and close also need its owner)", example = "map.freeze")) List<String> operations) {
    }

    @GetMapping(path = ApiAccessRules.API + "/whoami", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Show the caller's principal, roles and the operations they allow", operationId = "whoAmI")
    @ApiResponse(responseCode = "200", description = "The caller")
    WhoAmI whoAmI() {
        Set<Role> roles = roles(SecurityContextHolder.getContext().getAuthentication());
        List<String> operations = AuditedOperation.examples().stream()
                .filter(op -> roles.contains(ApiAccessRules.requiredRole(op.method(), op.path())))
                .map(AuditedOperation.Example::name)
                .toList();
        return new WhoAmI(principal.name(), roles.stream().map(Role::toString).toList(), operations);
    }

    /** The roles whose authority the chain granted (each role's included ones are granted with it). */
    private static Set<Role> roles(Authentication who) {
        if (who == null) {
            return Set.of();
        }
        Set<String> held = who.getAuthorities().stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
        return Arrays.stream(Role.values()).filter(role -> held.contains(role.authority()))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
    }
}
