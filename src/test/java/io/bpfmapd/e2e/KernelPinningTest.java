package io.bpfmapd.e2e;

import static io.bpfmapd.e2e.BpffsRoot.u64;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.testing.ApiClient.Response;
import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.testing.TemporaryDataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link AbstractPinningTest} on the real kernel, the node-telemetry path, with bpftool as the eBPF
 * agent that creates, pins, updates and reads maps beside the service. The service's bpffs root is a
 * fresh directory in /sys/fs/bpf, removed afterwards.
 */
@RequiresKernel
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TemporaryDataDir
class KernelPinningTest extends AbstractPinningTest {

    static Path root;
    static Path outside;

    @BeforeAll
    static void bpffs() {
        Bpftool.require();
        root = BpffsRoot.create("e2e_root");
        outside = PinDir.path("e2e_outside");
        Bpftool.run("map", "create", outside.toString(), "type", "array", "key", "4", "value", "8", "entries", "4",
                "name", "outside", "flags", "1024");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        BpffsRoot.remove(root);
        if (outside != null) {
            Files.deleteIfExists(outside);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("bpfmapd.kernel.bpffs-root", () -> root.toString());
    }

    @Override
    String backend() {
        return "KERNEL";
    }

    @Override
    Path pinRoot() {
        return root;
    }

    @Override
    void agentCreates(Path pin, String name) {
        Bpftool.run("map", "create", pin.toString(), "type", "array", "key", "4", "value", "8", "entries", "16",
                "name", name, "flags", "1024");
    }

    @Override
    void agentCreatesNonArray(Path pin) {
        Bpftool.run("map", "create", pin.toString(), "type", "hash", "key", "4", "value", "8", "entries", "4",
                "name", "hash");
    }

    @Override
    Path outsideMap() {
        return outside;
    }

    @Override
    void agentWrites(Path pin, int index, long value) {
        Bpftool.update(pin, index, u64(value));
    }

    @Override
    long agentReads(Path pin, int index) {
        return u64(Bpftool.lookup(pin, index));
    }

    @Override
    long agentMapId(Path pin) {
        return Bpftool.mapId(pin);
    }

    @Override
    boolean agentSeesFrozen(Path pin) {
        return Bpftool.run("map", "show", "pinned", pin.toString()).contains("frozen");
    }

    @Test
    void healthShowsTheKernelProbe() {
        Response health = http.get("/actuator/health");

        assertThat(health.<String>json("$.components.backends.components.kernel.status")).isEqualTo("UP");
        assertThat(health.<String>json("$.components.backends.components.kernel.details.reason"))
                .contains("BPF_F_MMAPABLE");
    }
}
