package io.bpfmapd.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The role table of {@link ApiAccessRules} (reader reads, writer writes values and sessions, admin manages maps), row by row. */
class ApiAccessRulesTest {

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource({
            "GET,    /api/v1/maps,                      READER",
            "GET,    /api/v1/maps/7,                    READER",
            "GET,    /api/v1/maps/7/values/3,           READER",
            "GET,    /api/v1/maps/7/values,             READER",
            "GET,    /api/v1/maps/7/values/stream,      READER",
            "GET,    /api/v1/events,                    READER",
            "GET,    /api/v1/maps/7/btf,                READER",
            "GET,    /api/v1/sessions,                  READER",
            "GET,    /api/v1/sessions/s1/memory,        READER",
            "GET,    /api/v1/sessions/s1/memory/bytes,    READER",
            "GET,    /api/v1/maps/7/data,               READER",
            "HEAD,   /api/v1/maps,                      READER",
            "PUT,    /api/v1/maps/7/values/3,           WRITER",
            "PUT,    /api/v1/maps/7/variables/cfg,      WRITER",
            "GET,    /api/v1/maps/7/variables/cfg,      READER",
            "GET,    /api/v1/maps/7/variables,          READER",
            "POST,   /api/v1/maps/7/sessions,           WRITER",
            "POST,   /api/v1/sessions/s1/renew,         WRITER",
            "DELETE, /api/v1/sessions/s1,               WRITER",
            "PUT,    /api/v1/sessions/s1/memory,        WRITER",
            "PUT,    /api/v1/sessions/s1/memory/bytes,    WRITER",
            "POST,   /api/v1/maps,                      ADMIN",
            "POST,   /api/v1/maps/import,               ADMIN",
            "POST,   /api/v1/maps/7/pin,                ADMIN",
            "POST,   /api/v1/maps/7/freeze,             ADMIN",
            "DELETE, /api/v1/maps/7,                    ADMIN",
            "PATCH,  /api/v1/maps/7,                    ADMIN",
            "POST,   /api/v1/maps/7/values/3,           ADMIN",
            "PUT,    /api/v1/sessions/s1/memory/extra,  ADMIN",
            "DELETE, /api/v1/sessions,                  ADMIN",
    })
    void eachRequestNeedsTheRoleOfTheIssueTable(String method, String path, Role role) {
        assertThat(ApiAccessRules.requiredRole(method, path)).isEqualTo(role);
    }

    @ParameterizedTest
    @CsvSource({"GET, /actuator/health", "POST, /api/v2/maps", "GET, /api/v1x/maps"})
    void pathsOutsideTheApiAreNotInTheTable(String method, String path) {
        assertThat(ApiAccessRules.requiredRole(method, path)).isNull();
    }
}
