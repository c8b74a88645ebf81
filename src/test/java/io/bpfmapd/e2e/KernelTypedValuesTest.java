package io.bpfmapd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.kernel.BpfResources;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.btf.Btf;
import io.bpfmapd.map.MapService;
import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.testing.BpftoolFormatted;
import io.bpfmapd.testing.TemporaryDataDir;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * format=typed in the real kernel (fails in CI where the kernel backend is missing, skips elsewhere), and
 * bpftool, the reference, printing the same values: its {@code formatted} JSON equals the typed JSON once
 * its numbers are printed as the API prints them ({@link BpftoolFormatted}).
 */
@RequiresKernel
@AutoConfigureMetrics
@TemporaryDataDir
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "bpfmapd.sessions.sweep-interval=100ms")
class KernelTypedValuesTest extends AbstractTypedValuesTest {

    @Autowired
    MapService maps;

    private BpfResources before;

    @BeforeEach
    void countBpfResources() {
        before = BpfResources.snapshot();
    }

    @Override
    String backend() {
        return "KERNEL";
    }

    @Override
    void assertBackendHoldsNothing() {
        // Every fd the service opened (its map handles) and every mmap of a session is gone again.
        BpfResources after = BpfResources.snapshot();
        assertThat(after.bpfFds()).as("BPF fds, before: %s", before).isLessThanOrEqualTo(before.bpfFds());
        assertThat(after.bpfMappings()).as("BPF mappings, before: %s", before).isLessThanOrEqualTo(before.bpfMappings());
    }

    @Test
    void bpftoolFormatsTheSameValues() {
        Bpftool.require();
        String map = createTyped("ARRAY", FLOW, "[\"MMAPABLE\"]");
        http.put("/api/v1/maps/" + map + "/values/1", "{\"typed\": " + FLOW_VALUE + "}");
        http.put("/api/v1/maps/" + map + "/values/2", "{\"typed\": {\"delta\": -2147483648, \"comm\": \"a b\", "
                + "\"proto\": \"TCP\", \"x\": [7, 0, 0], \"u\": {\"b\": [255, 0, 0, 128]}}}");
        // a char array that holds no string (no NUL) prints as its chars
        http.put("/api/v1/maps/" + map + "/values/3", "{\"hex\": \"" + "00".repeat(12) + "41".repeat(16)
                + "00".repeat(28) + "\"}");
        long kernelId = http.get("/api/v1/maps/" + map).<Number>json("$.kernelId").longValue();

        MapBtf btf = maps.btf(map);
        List<JsonNode> bpftool = BpftoolFormatted.dump(Btf.parse(btf.blob()), btf.valueTypeId(), "id", Long.toString(kernelId));
        JsonNode ours = http.get("/api/v1/maps/" + map + "/dump?format=typed").json().get("values");
        assertThat(bpftool).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(BpftoolFormatted.canonical(ours.get(i).get("typed"))).as("value[%d]", i)
                    .isEqualTo(BpftoolFormatted.canonical(bpftool.get(i)));
        }
    }
}
