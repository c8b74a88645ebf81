package io.bpfmapd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.testing.ApiClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged pins.json never stops the start nor breaks a later request: a null record, one without
 * createdAt and a second record on a pin already named are each left out, the good one comes back.
 */
class PinStateFileTest {

    static final String KEPT = "00000000-0000-4000-8000-000000000001";
    static final String SECOND = "00000000-0000-4000-8000-000000000002";
    static final String NO_DATE = "00000000-0000-4000-8000-000000000003";

    @TempDir
    Path data;

    static String record(String id, Path path, String createdAt) {
        return "{\"id\": \"" + id + "\", \"backend\": \"EMULATED\", \"path\": \"" + path + "\", \"origin\": \"PINNED\", "
                + "\"createdAt\": " + createdAt + "}";
    }

    @Test
    void badRecordsAreLeftOutAndTheServiceStartsAndAnswers() throws IOException {
        Path shared = data.toRealPath().resolve("pins/shared");
        Path other = data.toRealPath().resolve("pins/other");
        try (EmulatedBackend backend = new EmulatedBackend(data, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES)) {
            Files.createDirectories(shared.getParent());
            for (Path pin : List.of(shared, other)) {
                BpfMap map = backend.create(new MapSpec("m", MapType.ARRAY, 4, 8, 4, 0, false));
                map.pin(pin);
                map.close();
            }
        }
        Files.writeString(data.resolve("pins.json"), "{\"version\": 1, \"maps\": [null, "
                + record(KEPT, shared, "\"2026-01-02T03:04:05Z\"") + ", "
                + record(SECOND, shared, "\"2026-01-02T03:04:05Z\"") + ", "
                + record(NO_DATE, other, "null") + "]}");

        try (ServiceRun run = ServiceRun.start("bpfmapd.emulated.data-dir=" + data, "bpfmapd.kernel.enabled=false")) {
            Response maps = run.http.get("/api/v1/maps");
            assertThat(maps.status()).isEqualTo(200);
            assertThat(maps.<List<String>>json("$[*].id")).containsExactly(KEPT);
            assertThat(run.http.get("/api/v1/maps/" + KEPT).<String>json("$.createdAt")).isEqualTo("2026-01-02T03:04:05Z");
        }
        assertThat(Files.readString(data.resolve("pins.json"))).contains(KEPT).doesNotContain(SECOND, NO_DATE);
    }
}
