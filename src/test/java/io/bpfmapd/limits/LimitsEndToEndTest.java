package io.bpfmapd.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import io.bpfmapd.testing.TemporaryDataDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Each limit over real HTTP, as the problem detail a client gets, and nothing changed by the refusal. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bpfmapd.limits.max-maps=2",
        "bpfmapd.limits.max-total-map-bytes=12KB",
        "bpfmapd.limits.max-value-size=64B",
        "bpfmapd.limits.max-entries=1024",
        "bpfmapd.limits.max-sessions=2",
        "bpfmapd.limits.max-sessions-per-principal=1",
        "bpfmapd.limits.max-request-bytes=2KB",
        "bpfmapd.limits.max-mapped-bytes-per-principal=8KB",
        "bpfmapd.limits.max-total-mapped-bytes=12KB",
        "bpfmapd.kernel.enabled=false",
        "bpfmapd.security.tokens[0].name=alice",
        "bpfmapd.security.tokens[0].roles=admin",
        "bpfmapd.security.tokens[0].sha256=2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90",
        "bpfmapd.security.tokens[1].name=bob",
        "bpfmapd.security.tokens[1].roles=writer",
        "bpfmapd.security.tokens[1].sha256=81b637d8fcd2c6da6359e6963113a1170de795e4b725b84d1e0b4cfd9ec58ce9",
        "bpfmapd.security.tokens[2].name=carol",
        "bpfmapd.security.tokens[2].roles=writer",
        "bpfmapd.security.tokens[2].sha256=4c26d9074c27d89ede59270c0ac14b71e071b15239519f75474b2f3ba63481f5",
})
@TemporaryDataDir
class LimitsEndToEndTest {

    @LocalServerPort
    int port;

    @Autowired
    ResourceLimits limits;

    ApiClient alice;
    ApiClient bob;

    @BeforeEach
    void clients() {
        alice = ApiClient.at(port).as("alice");
        bob = alice.as("bob");
    }

    @AfterEach
    void nothingLeftHeld() {
        for (var s : alice.get("/api/v1/sessions").json()) {
            alice.delete("/api/v1/sessions/" + s.get("id").asString());
        }
        for (var m : alice.get("/api/v1/maps").json()) {
            alice.delete("/api/v1/maps/" + m.get("id").asString());
        }
        assertThat(limits.maps()).isZero();
        assertThat(limits.mapBytes()).isZero();
        assertThat(limits.sessions()).isZero();
        assertThat(limits.mappedBytes()).isZero();
    }

    static void limitProblem(Response r, int status, String limit, String errno) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        var problem = r.json();
        assertThat(problem.get("type").asString()).isEqualTo("urn:bpfmapd:problem:limit-exceeded");
        assertThat(problem.get("limit").asString()).isEqualTo(limit);
        assertThat(problem.get("errno").asString()).isEqualTo(errno);
        assertThat(problem.get("max").isNumber()).isTrue();
    }

    String map(int valueSize, int entries) {
        Response r = alice.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": " + valueSize
                + ", \"maxEntries\": " + entries + ", \"flags\": [\"MMAPABLE\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asString();
    }

    @Test
    void mapSizesAboveTheLimitsAreE2big() {
        limitProblem(alice.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 65, \"maxEntries\": 1}"),
                400, "bpfmapd.limits.max-value-size", "E2BIG");
        limitProblem(alice.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 1025}"),
                400, "bpfmapd.limits.max-entries", "E2BIG");
        assertThat(alice.get("/api/v1/maps").json().size()).isZero();
    }

    @Test
    void theNumberOfMapsAndTheirBytesAreLimited() {
        map(8, 512);          // one page
        String second = map(64, 128); // two pages: 12 KiB in all
        limitProblem(alice.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 1}"),
                429, "bpfmapd.limits.max-maps", "ENOSPC");
        alice.delete("/api/v1/maps/" + second);
        // Three pages fit the 12 KiB in all but not the 8 KiB left: a retry after a delete succeeds.
        limitProblem(alice.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 64, \"maxEntries\": 160, "
                + "\"flags\": [\"MMAPABLE\"]}"), 429, "bpfmapd.limits.max-total-map-bytes", "ENOSPC");
        // 64 KiB is more than all maps together may hold: no retry ever succeeds, so not a 429.
        limitProblem(alice.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 64, \"maxEntries\": 1024, "
                + "\"flags\": [\"MMAPABLE\"]}"), 400, "bpfmapd.limits.max-total-map-bytes", "E2BIG");
        map(64, 128);
        assertThat(alice.get("/api/v1/maps").json().size()).isEqualTo(2);
    }

    @Test
    void aDeletedMapsMemoryCountsUntilItsLastMappingIsClosed() {
        String held = map(8, 1024); // two pages
        String session = bob.post("/api/v1/maps/" + held + "/sessions", "{\"access\": \"READ_ONLY\"}")
                .json().get("id").asString();
        assertThat(alice.delete("/api/v1/maps/" + held).status()).isEqualTo(204);
        assertThat(limits.maps()).isZero();
        assertThat(limits.mapBytes()).isEqualTo(8192);
        // the session still holds the deleted map's two pages: two more do not fit in 12 KiB, one does
        limitProblem(alice.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 1024, "
                + "\"flags\": [\"MMAPABLE\"]}"), 429, "bpfmapd.limits.max-total-map-bytes", "ENOSPC");
        map(8, 512);
        assertThat(bob.get("/api/v1/sessions/" + session + "/memory?offset=0&length=8").status()).isEqualTo(200);

        assertThat(bob.delete("/api/v1/sessions/" + session).status()).isEqualTo(204);
        assertThat(limits.mapBytes()).isEqualTo(4096);
        map(8, 1024);
    }

    @Test
    void sessionsAreLimitedPerPrincipalAndInTotal() {
        String m = map(8, 512);
        String open = "{\"access\": \"READ_ONLY\"}";
        assertThat(bob.post("/api/v1/maps/" + m + "/sessions", open).status()).isEqualTo(201);
        limitProblem(bob.post("/api/v1/maps/" + m + "/sessions", open), 429,
                "bpfmapd.limits.max-sessions-per-principal", "EMFILE");
        assertThat(alice.post("/api/v1/maps/" + m + "/sessions", open).status()).isEqualTo(201);
        limitProblem(alice.as("carol").post("/api/v1/maps/" + m + "/sessions", open), 429,
                "bpfmapd.limits.max-sessions", "ENFILE");
        assertThat(alice.get("/api/v1/sessions").json().size()).isEqualTo(2);
    }

    @Test
    void aWholeMapReadHoldsASlotOfTheSessionLimitsWhileItStreams() {
        String m = map(8, 512);
        String open = "{\"access\": \"READ_ONLY\"}";
        String bobs = bob.post("/api/v1/maps/" + m + "/sessions", open).json().get("id").asString();
        // its temporary mapping would be a second of bob's: refused like a second session of his
        limitProblem(bob.getBytes("/api/v1/maps/" + m + "/values"), 429,
                "bpfmapd.limits.max-sessions-per-principal", "EMFILE");
        assertThat(alice.post("/api/v1/maps/" + m + "/sessions", open).status()).isEqualTo(201);
        // carol holds nothing, but the service holds two: a third mapping is refused like a third session
        limitProblem(alice.as("carol").getBytes("/api/v1/maps/" + m + "/values"), 429, "bpfmapd.limits.max-sessions",
                "ENFILE");
        assertThat(limits.sessions()).isEqualTo(2);

        assertThat(bob.delete("/api/v1/sessions/" + bobs).status()).isEqualTo(204);
        Response read = bob.getBytes("/api/v1/maps/" + m + "/values");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.bytes()).hasSize(4096);
        // given back before the last bytes are sent: a client that has them all sees it released
        assertThat(limits.sessions()).isEqualTo(1);
        assertThat(limits.mappedBytes()).isEqualTo(4096);
        assertThat(alice.get("/api/v1/maps/" + m).json().get("sessions").has("temporary")).isFalse();
    }

    @Test
    void mappedBytesAreLimitedPerPrincipalAndInTotal() {
        String m = map(64, 192); // 12 KiB: three pages
        limitProblem(bob.post("/api/v1/maps/" + m + "/sessions", "{\"access\": \"READ_ONLY\"}"), 400,
                "bpfmapd.limits.max-mapped-bytes-per-principal", "E2BIG");
        limitProblem(bob.getBytes("/api/v1/maps/" + m + "/values"), 400,
                "bpfmapd.limits.max-mapped-bytes-per-principal", "E2BIG");
        String twoPages = "{\"access\": \"READ_ONLY\", \"length\": 8192}";
        assertThat(bob.post("/api/v1/maps/" + m + "/sessions", twoPages).status()).isEqualTo(201);
        limitProblem(alice.post("/api/v1/maps/" + m + "/sessions", twoPages), 429,
                "bpfmapd.limits.max-total-mapped-bytes", "ENOMEM");
        assertThat(limits.sessions()).as("a refusal holds nothing").isEqualTo(1);
        assertThat(limits.mappedBytes()).isEqualTo(8192);
        assertThat(alice.post("/api/v1/maps/" + m + "/sessions", "{\"access\": \"READ_ONLY\", \"length\": 4096}")
                .status()).isEqualTo(201);
        assertThat(limits.mappedBytes()).isEqualTo(12288);
    }

    @Test
    void aRefusedSessionOnAMissingMapHoldsNothing() {
        assertThat(bob.post("/api/v1/maps/no-such-map/sessions", "{\"access\": \"READ_ONLY\"}").status()).isEqualTo(404);
        assertThat(limits.sessions()).isZero();
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String m = map(8, 512);
        Response r = bob.send("PUT", "/api/v1/maps/" + m + "/values/0", "application/json",
                ("{\"hex\": \"" + "00".repeat(1100) + "\"}").getBytes(), "application/json");
        limitProblem(r, 413, "bpfmapd.limits.max-request-bytes", "E2BIG");
    }
}
