package io.bpfmapd.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import io.bpfmapd.testing.TemporaryDataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Many sessions on one big kernel map: each maps the whole value area, and every mapped page may cost
 * the kernel a page-table entry. The mapped-bytes limits hold what this process maps of BPF maps, as
 * /proc/self/maps shows it, to {@code max-total-mapped-bytes}, and one principal's share to
 * {@code max-mapped-bytes-per-principal}. Fails in CI where the kernel backend is missing, skips elsewhere.
 */
@RequiresKernel
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bpfmapd.limits.max-mapped-bytes-per-principal=320MB",
        "bpfmapd.limits.max-total-mapped-bytes=512MB",
        "bpfmapd.security.tokens[0].name=alice",
        "bpfmapd.security.tokens[0].roles=admin",
        "bpfmapd.security.tokens[0].sha256=2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90",
        "bpfmapd.security.tokens[1].name=bob",
        "bpfmapd.security.tokens[1].roles=writer",
        "bpfmapd.security.tokens[1].sha256=81b637d8fcd2c6da6359e6963113a1170de795e4b725b84d1e0b4cfd9ec58ce9",
})
@TemporaryDataDir
class KernelMappedBytesTest {

    private static final long MIB = 1 << 20;
    /** 64 MiB: 1 Mi values of 64 bytes. */
    private static final long MAP_BYTES = 64 * MIB;

    @LocalServerPort
    int port;

    @Autowired
    ResourceLimits limits;

    ApiClient alice;
    String map;

    @AfterEach
    void closeEverything() {
        for (var s : alice.get("/api/v1/sessions").json()) {
            alice.delete("/api/v1/sessions/" + s.get("id").asString());
        }
        if (map != null) {
            alice.delete("/api/v1/maps/" + map);
        }
        assertThat(limits.mappedBytes()).isZero();
    }

    @Test
    void sessionsOnABigKernelMapMapNoMoreThanTheLimitsAllow() throws IOException {
        alice = ApiClient.at(port).as("alice");
        ApiClient bob = alice.as("bob");
        Response created = alice.post("/api/v1/maps", """
                {"name": "big", "type": "ARRAY", "valueSize": 64, "maxEntries": 1048576,
                 "backend": "KERNEL", "flags": ["MMAPABLE"]}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        map = created.json().get("id").asString();
        long before = bpfMappedBytes();

        // alice: five whole-map sessions (320 MiB), the sixth is past her share
        Response refused = openUntilRefused(alice, 5);
        LimitsEndToEndTest.limitProblem(refused, 429, "bpfmapd.limits.max-mapped-bytes-per-principal", "ENOMEM");
        // bob: three more (512 MiB in all), the fourth is past the service's total
        refused = openUntilRefused(bob, 3);
        LimitsEndToEndTest.limitProblem(refused, 429, "bpfmapd.limits.max-total-mapped-bytes", "ENOMEM");

        // what the kernel maps for this process is the limits' count, and within the bound
        long mapped = bpfMappedBytes() - before;
        assertThat(mapped).isEqualTo(8 * MAP_BYTES).isEqualTo(limits.mappedBytes()).isLessThanOrEqualTo(512 * MIB);
        // a whole-map read maps the same bytes: refused now, by the same limit
        LimitsEndToEndTest.limitProblem(bob.getBytes("/api/v1/maps/" + map + "/values"), 429,
                "bpfmapd.limits.max-total-mapped-bytes", "ENOMEM");
        assertThat(bpfMappedBytes() - before).isEqualTo(mapped);
    }

    /** Opens read-only whole-map sessions until one is refused; {@code granted} must have opened first. */
    private Response openUntilRefused(ApiClient client, int granted) {
        for (int i = 0; i < granted; i++) {
            Response open = client.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_ONLY\"}");
            assertThat(open.status()).as("session %d: %s", i + 1, open.body()).isEqualTo(201);
        }
        return client.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_ONLY\"}");
    }

    /** Bytes of this process's address space mapped from BPF maps, as the kernel lists them. */
    private static long bpfMappedBytes() throws IOException {
        long total = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains("anon_inode:bpf-map")) {
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                total += Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16);
            }
        }
        return total;
    }
}
