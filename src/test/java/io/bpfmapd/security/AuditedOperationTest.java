package io.bpfmapd.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditedOperationTest {

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource(nullValues = "-", value = {
            "POST,   /api/v1/maps,                 map.create,    -, -",
            "POST,   /api/v1/maps/import,          map.import,    -, -",
            "DELETE, /api/v1/maps/7,               map.delete,    7, -",
            "POST,   /api/v1/maps/7/pin,           map.pin,       7, -",
            "POST,   /api/v1/maps/7/freeze,        map.freeze,    7, -",
            "PUT,    /api/v1/maps/7/values/3,      value.update,  7, -",
            "PUT,    /api/v1/maps/7/variables/cfg, variable.update, 7, -",
            "POST,   /api/v1/maps/7/sessions,      session.open,  7, -",
            "POST,   /api/v1/sessions/s1/renew,    session.renew, -, s1",
            "DELETE, /api/v1/sessions/s1,          session.close, -, s1",
            "PUT,    /api/v1/sessions/s1/memory,   session.write, -, s1",
            "PUT,    /api/v1/sessions/s1/memory/bytes, session.write, -, s1",
            "POST,   /api/v1/exports,              export.create, -, -",
            "DELETE, /api/v1/exports/lat,          export.delete, -, -",
            "POST,   /api/v1/elsewhere,            other,         -, -",
            "GET,    /api/v1/maps/7/freeze,        other,         -, -",
    })
    void namesTheOperationAndTheIdsInThePath(String method, String path, String name, String map, String session) {
        assertThat(AuditedOperation.of(method, path)).isEqualTo(new AuditedOperation(name, map, session));
    }

    @Test
    void eachExampleIsAPathOfItsOwnOperationAndTheRolesTableKnowsIt() {
        assertThat(AuditedOperation.examples()).hasSize(13).allSatisfy(example -> {
            assertThat(AuditedOperation.of(example.method(), example.path()).name()).isEqualTo(example.name());
            assertThat(ApiAccessRules.requiredRole(example.method(), example.path())).isNotNull();
        });
        assertThat(AuditedOperation.examples()).extracting(AuditedOperation.Example::path)
                .contains("/api/v1/maps/_/freeze", "/api/v1/sessions/_/memory");
    }
}
