package io.bpfmapd.variables;

import io.bpfmapd.testing.TemporaryDataDir;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.testing.DirectoryTree;
import io.bpfmapd.testing.LibbpfAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The kernel proof: a running libbpf agent (src/test/bpf/variables.bpf.c, loaded by libbpf, attached to
 * raw_tp/sys_enter) whose global variables the service imports, reads and writes by name over HTTP while
 * it runs; the program sees each write (it computes .bss variables from the .data ones on each syscall of
 * this process), and the kernel's own refusals come back as they are (.rodata, frozen by libbpf: EPERM).
 */
@RequiresKernel
@TemporaryDataDir
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KernelVariablesAgentTest {

    static Path root;
    static LibbpfAgent agent;

    @LocalServerPort
    int port;
    ApiClient http;

    @BeforeAll
    static void startAgent() throws IOException {
        LibbpfAgent.require();
        PinDir.requireBpffs();
        root = Files.createDirectory(PinDir.path("variables_e2e"));
        agent = LibbpfAgent.start("variables", Files.createDirectory(root.resolve("agent")));
    }

    @AfterAll
    static void stopAgent() throws IOException {
        if (agent != null) {
            agent.close();
        }
        if (root != null) {
            DirectoryTree.delete(root);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("bpfmapd.kernel.bpffs-root", () -> root.toString());
    }

    @BeforeEach
    void client() {
        http = ApiClient.at(port);
    }

    /** The service lets go of every map it imported or made: no BPF fd outlives the class. */
    @AfterEach
    void deleteMaps() {
        http.get("/api/v1/maps").<List<String>>json("$[*].id").forEach(id -> http.delete("/api/v1/maps/" + id));
    }

    @Test
    void variablesAreReadAndWrittenByNameWhileTheAgentRunsAndTheProgramSeesTheWrites() {
        String data = importSection(".data");
        String bss = importSection(".bss");

        Response list = http.get("/api/v1/maps/" + data + "/variables");
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.<String>json("$.section")).isEqualTo(".data");
        assertThat(list.<List<String>>json("$.variables[*].name")).containsExactly("target_tgid", "setting", "cfg");
        assertThat(list.<Map<String, Object>>json("$.variables[2]")).containsEntry("type", "struct settings")
                .containsEntry("declaration", "struct settings cfg").containsEntry("linkage", "GLOBAL");
        assertThat(list.<String>json("$.variables[1].value")).as("a u64 is a decimal string").isEqualTo("1");
        assertThat(list.<Map<String, Object>>json("$.variables[2].value"))
                .isEqualTo(Map.of("multiplier", 1, "tag", "init", "enabled", 1, "level", 2));
        long hitsBefore = Long.parseLong(value(bss, "hits"));

        put(data, "setting", "\"5\"");
        put(data, "cfg", "{\"multiplier\": 3}");
        put(data, "target_tgid", String.valueOf(ProcessHandle.current().pid()));

        // Every syscall of this JVM runs the program; the reads themselves are syscalls.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "22".equals(value(bss, "result")));
        assertThat(value(bss, "seen_tag")).isEqualTo("init");
        assertThat(Long.parseLong(value(bss, "hits"))).isGreaterThan(hitsBefore);

        // A struct written in part: tag and level change, multiplier and enabled keep what they were.
        put(data, "cfg", "{\"tag\": \"new\", \"level\": 5}");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "new".equals(value(bss, "seen_tag")));
        assertThat(http.get("/api/v1/maps/" + bss + "/variables/seen_level").<Integer>json("$.value")).isEqualTo(5);
        assertThat(http.get("/api/v1/maps/" + data + "/variables/cfg").<Map<String, Object>>json("$.value"))
                .isEqualTo(Map.of("multiplier", 3, "tag", "new", "enabled", 1, "level", 5));

        // enabled is a 1-bit bitfield sharing its byte with level: the program stops computing result.
        put(data, "cfg", "{\"enabled\": 0}");
        put(data, "setting", "\"100\"");
        long hits = Long.parseLong(value(bss, "hits"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Long.parseLong(value(bss, "hits")) > hits + 2);
        assertThat(value(bss, "result")).isEqualTo("22");
        assertThat(agent.alive()).isTrue();
        put(data, "target_tgid", "4294967295");
    }

    @Test
    void aSectionOfStaticsIsNotMmapableAndIsWrittenThroughUpdateWhichTheProgramSees() {
        String statics = importSection(".data.statics");
        String data = importSection(".data");
        assertThat(http.get("/api/v1/maps/" + statics).<Boolean>json("$.mmapable"))
                .as("libbpf maps a section only when a variable is not static").isFalse();
        Response list = http.get("/api/v1/maps/" + statics + "/variables");
        assertThat(list.<List<String>>json("$.variables[*].linkage")).containsOnly("STATIC");
        assertThat(list.<String>json("$.variables[0].value")).isEqualTo("1");

        put(statics, "static_step", "\"3\"");
        put(data, "target_tgid", String.valueOf(ProcessHandle.current().pid()));
        try {
            long first = Long.parseLong(value(statics, "static_total"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Long.parseLong(value(statics, "static_total")) > first);
            long later = Long.parseLong(value(statics, "static_total"));
            assertThat((later - first) % 3).as("the program adds the step written: %d -> %d", first, later).isZero();
        } finally {
            put(data, "target_tgid", "4294967295");
        }
    }

    @Test
    void rodataIsFrozenByLibbpfSoAWriteIsEpermAsTheKernelAnswersAndChangesNothing() {
        String rodata = importSection(".rodata");

        Response map = http.get("/api/v1/maps/" + rodata);
        assertThat(map.<String>json("$.name")).as("the map name libbpf gave, cut at 15").isEqualTo("variable.rodata");
        assertThat(map.<Boolean>json("$.frozen")).isTrue();
        assertThat(http.get("/api/v1/maps/" + rodata + "/variables").<String>json("$.section")).isEqualTo(".rodata");
        assertThat(http.get("/api/v1/maps/" + rodata + "/variables/version").<Map<String, Object>>json("$"))
                .containsEntry("value", 7)
                // clang's chain is CONST -> VOLATILE -> __u32, which libbpf's btf_dump writes innermost first
                .containsEntry("type", "volatile const __u32");

        Response refused = http.put("/api/v1/maps/" + rodata + "/variables/version", "{\"value\": 8}");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.<String>json("$.errno")).isEqualTo("EPERM");
        assertThat(refused.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:eperm");
        assertThat(Bpftool.lookup(agent.pin(".rodata"), 0)).containsExactly(7, 0, 0, 0);
    }

    @Test
    void aCustomSectionIsNamedInFullAndBadRequestsAreClearProblemsThatWriteNothing() {
        String custom = importSection(".data.custom");
        assertThat(http.get("/api/v1/maps/" + custom + "/variables").<String>json("$.section")).isEqualTo(".data.custom");
        assertThat(http.get("/api/v1/maps/" + custom + "/variables/note").<String>json("$.value")).isEqualTo("custom");

        Response tooLong = http.put("/api/v1/maps/" + custom + "/variables/note", "{\"value\": \"more than sixteen chars\"}");
        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(400);
        assertThat(tooLong.<String>json("$.errno")).isEqualTo("EINVAL");
        Response unknown = http.get("/api/v1/maps/" + custom + "/variables/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:variable-not-found");
        Response noValue = http.put("/api/v1/maps/" + custom + "/variables/note", "{}");
        assertThat(noValue.status()).as(noValue.toString()).isEqualTo(400);
        assertThat(http.get("/api/v1/maps/" + custom + "/variables/note").<String>json("$.value")).isEqualTo("custom");

        Response plain = http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 1, "
                + "\"backend\": \"KERNEL\"}");
        Response untyped = http.get("/api/v1/maps/" + plain.<String>json("$.id") + "/variables");
        assertThat(untyped.status()).isEqualTo(404);
        assertThat(untyped.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:btf-not-found");
    }

    private String importSection(String section) {
        Response r = http.post("/api/v1/maps/import", "{\"path\": \"" + agent.pin(section) + "\", \"backend\": \"KERNEL\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json("$.id");
    }

    private void put(String map, String name, String json) {
        Response r = http.put("/api/v1/maps/" + map + "/variables/" + name, "{\"value\": " + json + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
    }

    private String value(String map, String name) {
        Response r = http.get("/api/v1/maps/" + map + "/variables/" + name);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return String.valueOf(r.<Object>json("$.value"));
    }
}
