package io.bpfmapd.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What the hostile-input tests compare and check over HTTP: the whole visible state of the service,
 * and the invariants that must hold after any request (see {@link #invariantsHold}).
 */
final class ApiState {

    private ApiState() {
    }

    /** Every map, every session and every byte of {@code maps}, as the API shows them. */
    static String snapshot(ApiClient api, List<String> maps) {
        StringBuilder state = new StringBuilder();
        state.append(api.get("/api/v1/maps").body()).append('\n');
        state.append(api.get("/api/v1/sessions").body()).append('\n');
        for (String map : maps) {
            Response data = api.getBytes("/api/v1/maps/" + map + "/values");
            state.append(data.status()).append(':').append(HexFormat.of().formatHex(data.bytes())).append('\n');
        }
        return state.toString();
    }

    /**
     * Never a frozen map with a writable session; session counts agree with the session list; and the
     * session and syscall views of {@code mmapable}'s memory agree, through {@code rwSession} (which
     * maps it from offset 0).
     */
    static void invariantsHold(ApiClient api, String mmapable, String rwSession) {
        JsonNode maps = api.get("/api/v1/maps").json();
        JsonNode sessions = api.get("/api/v1/sessions").json();
        for (JsonNode map : maps) {
            int active = map.get("sessions").get("active").asInt();
            int writable = map.get("sessions").get("writable").asInt();
            assertThat(writable).isBetween(0, active);
            if (map.get("frozen").asBoolean()) {
                assertThat(writable).as("frozen map %s with a writable session", map.get("id")).isZero();
            }
            long listed = 0;
            for (JsonNode s : sessions) {
                if (s.get("mapId").asString().equals(map.get("id").asString())) {
                    listed++;
                }
            }
            assertThat(listed).isEqualTo(active);
        }
        byte[] throughSession = api.getBytes("/api/v1/sessions/" + rwSession + "/memory").bytes();
        byte[] throughLookup = api.getBytes("/api/v1/maps/" + mmapable + "/values").bytes();
        assertThat(throughLookup).startsWith(throughSession);
    }

    /** Creates a map; returns its id. */
    static String createMap(ApiClient api, String json) {
        Response response = api.post("/api/v1/maps", json);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    /** Opens a session on {@code map} with a lease long enough for a whole run; returns its id. */
    static String openSession(ApiClient api, String map, String access) {
        Response response = api.post("/api/v1/maps/" + map + "/sessions",
                "{\"access\": \"" + access + "\", \"ttlSeconds\": 3600}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asString();
    }
}
