package io.bpfmapd.e2e;

import static io.bpfmapd.typed.BpftoolValues.assertSameValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.kernel.BpfResources;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.Bpftool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * format=typed in the real kernel (fails in CI where the kernel backend is missing, skips elsewhere), and
 * bpftool, the reference, printing the same values: its {@code formatted} JSON equals the typed JSON once
 * its numbers are printed as the API prints them ({@link io.bpfmapd.typed.BpftoolValues}).
 */
@RequiresKernel
@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"bpfmapd.sessions.sweep-interval=100ms", "bpfmapd.emulated.data-dir=target/e2e-data"})
class KernelTypedValuesTest extends AbstractTypedValuesTest {

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

        JsonNode dump = ApiClient.JSON.readTree(Bpftool.run("-j", "map", "dump", "id", Long.toString(kernelId)));
        JsonNode ours = http.get("/api/v1/maps/" + map + "/dump?format=typed").json().get("values");
        assertThat(dump.size()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            JsonNode formatted = dump.get(i).get("formatted");
            assertThat(formatted.get("key").intValue()).isEqualTo(i);
            assertSameValue(ours.get(i).get("typed"), formatted.get("value"), "value[" + i + "]");
        }
    }
}
