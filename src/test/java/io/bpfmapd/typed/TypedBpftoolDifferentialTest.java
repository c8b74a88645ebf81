package io.bpfmapd.typed;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.backend.kernel.KernelBackend;
import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.btf.Btf;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.testing.BpftoolFormatted;
import io.bpfmapd.testing.DirectoryTree;
import io.bpfmapd.testing.LibbpfAgent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The typed JSON of every value against bpftool's, the reference (issue 13's proof), on the maps of a
 * real libbpf agent: src/test/bpf/typed_maps.bpf.c, compiled with clang and loaded by libbpf, with
 * struct-valued ARRAY maps (MMAPABLE, not, PERCPU_ARRAY) and its globals in .bss, .data, .rodata and two
 * custom .data.* sections. The service imports every pin (kernel backend) and reads each value with
 * {@code format=typed} alone, as a range and as the whole map; each must equal the {@code formatted} part
 * of {@code bpftool -j map dump pinned ...} once {@link BpftoolFormatted} has put bpftool's numbers in the
 * contract's printing (its Javadoc lists each difference and who is right).
 *
 * <p>The agent's program fills elements 0..3 of each struct map with values that exercise names
 * (strings, enumerators, negative numbers); the test writes random bytes, through the service, into the
 * others, which exercise what names do not cover (enum values without a name, char arrays without a NUL,
 * every bit of every bitfield). The program runs only while the test targets this process, so nothing
 * changes under the comparison.
 *
 * <p>The emulated backend is held to the same answers: a copy of each map, with the kernel's spec, BTF
 * and bytes, made in the service's emulated backend, must read the same typed values.
 */
@RequiresKernel
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TypedBpftoolDifferentialTest {

    private static final List<String> STRUCT_MAPS = List.of("typed_mmap", "typed_plain", "typed_percpu");
    private static final List<String> SECTIONS = List.of(".bss", ".data", ".rodata", ".data.custom", ".data.target");
    /** Elements the program fills; the test writes the others (ENTRIES and FILLED of typed_maps.bpf.c). */
    private static final int ENTRIES = 8;
    private static final int FILLED = 4;
    private static final long SEED = Long.getLong("typed.seed", System.nanoTime());

    static Path root;
    static LibbpfAgent agent;

    private static final String DATA_DIR = "target/typed-differential-data";

    @LocalServerPort
    int port;

    /** The service's own emulated backend, to create the emulated copies in. */
    @Autowired
    EmulatedBackend emulated;

    @BeforeAll
    static void loadTheAgent() throws IOException {
        Bpftool.require();
        LibbpfAgent.require();
        root = Files.createDirectory(PinDir.path("typed_diff"));
        agent = LibbpfAgent.start("typed_maps", Files.createDirectory(root.resolve("agent")));
        // Once, on this process's syscalls: fill the struct maps and .bss; then never again, so that
        // bpftool and the service read the same bytes.
        target((int) ProcessHandle.current().pid());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            Files.exists(root); // a syscall of this process
            return ByteBuffer.wrap(Bpftool.lookup(agent.pin(".bss"), 0)).order(ByteOrder.LITTLE_ENDIAN).getLong(0) > 0;
        });
        target(-1);
    }

    @AfterAll
    static void stopTheAgent() throws IOException {
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
        registry.add("bpfmapd.emulated.data-dir", () -> DATA_DIR);
    }

    @Test
    void everyValueOfEveryStructMapReadAloneAsARangeAndAsTheWholeMapEqualsBpftools() {
        ApiClient http = ApiClient.at(port);
        Random random = new Random(SEED);
        for (String name : STRUCT_MAPS) {
            Path pin = agent.pin(name);
            String id = importMap(http, pin);
            try {
                for (int i = FILLED; i < ENTRIES; i++) {
                    writeRandom(http, id, i, random);
                }
                List<JsonNode> expected = bpftool(pin);
                assertThat(expected).hasSize(ENTRIES);
                for (int i = 0; i < ENTRIES; i++) {
                    assertSame(name + "[" + i + "] read alone", element(http, id, i), expected.get(i));
                }
                List<JsonNode> range = range(http, id, 1, ENTRIES - 2);
                for (int i = 0; i < range.size(); i++) {
                    assertSame(name + "[" + (i + 1) + "] in a range", range.get(i), expected.get(i + 1));
                }
                List<JsonNode> whole = wholeMap(http, id);
                assertThat(whole).as(name + ": the whole map").hasSize(ENTRIES);
                for (int i = 0; i < ENTRIES; i++) {
                    assertSame(name + "[" + i + "] in the whole map", whole.get(i), expected.get(i));
                }
            } finally {
                http.delete("/api/v1/maps/" + id);
            }
        }
    }

    /** The global-variable maps: one element each, a DATASEC, which bpftool prints as {section: [{var: value}...]}. */
    @Test
    void everyGlobalVariableSectionEqualsBpftools() {
        ApiClient http = ApiClient.at(port);
        for (String section : SECTIONS) {
            Path pin = agent.pin(section);
            String id = importMap(http, pin);
            try {
                List<JsonNode> expected = bpftool(pin);
                assertThat(expected).as(section).hasSize(1);
                assertSame(section + " read alone", element(http, id, 0), expected.getFirst());
                assertSame(section + " as the whole map", wholeMap(http, id).getFirst(), expected.getFirst());
            } finally {
                http.delete("/api/v1/maps/" + id);
            }
        }
    }

    /**
     * The emulated backend, given the same BTF and the same bytes, answers the same typed values: a copy
     * of each of the agent's maps (its spec and BTF, as the kernel gives them back) created in the
     * service's own emulated backend (MapSpec's BTF, as POST /maps with a valueType makes one), pinned in
     * its pin directory and imported, with each value copied over in hex.
     */
    @Test
    void theEmulatedBackendGivesTheSameTypedValuesForTheSameBtfAndBytes() throws IOException {
        ApiClient http = ApiClient.at(port);
        Random random = new Random(SEED);
        for (String name : concat(STRUCT_MAPS, SECTIONS)) {
            Path pin = agent.pin(name);
            String kernel = importMap(http, pin);
            String copy = null;
            try {
                if (STRUCT_MAPS.contains(name)) {
                    for (int i = FILLED; i < ENTRIES; i++) {
                        writeRandom(http, kernel, i, random);
                    }
                }
                List<JsonNode> expected = bpftool(pin);
                copy = emulatedCopy(http, kernel, pin);
                for (int i = 0; i < expected.size(); i++) {
                    assertSame(name + "[" + i + "] emulated, read alone", element(http, copy, i), expected.get(i));
                }
                List<JsonNode> whole = wholeMap(http, copy);
                for (int i = 0; i < expected.size(); i++) {
                    assertSame(name + "[" + i + "] emulated, in the whole map", whole.get(i), expected.get(i));
                }
            } finally {
                http.delete("/api/v1/maps/" + kernel);
                if (copy != null) {
                    http.delete("/api/v1/maps/" + copy);
                }
            }
        }
    }

    /**
     * The string literal of the program is a map libbpf makes without BTF (.rodata.str1.1): bpftool prints
     * no formatted value for it, and the service refuses a typed read with a problem detail.
     */
    @Test
    void aMapWithoutBtfHasNoTypedValue() {
        ApiClient http = ApiClient.at(port);
        Path pin = agent.pins().stream().filter(p -> p.getFileName().toString().contains("rodata_str")).findFirst().orElseThrow();
        assertThat(Bpftool.run("-j", "map", "dump", "pinned", pin.toString())).doesNotContain("formatted");
        String id = importMap(http, pin);
        try {
            Response r = http.get("/api/v1/maps/" + id + "/values/0?format=typed");
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.contentType()).isEqualTo("application/problem+json");
            assertThat(r.<String>json("$.errno")).isEqualTo("EINVAL");
            assertThat(r.<String>json("$.operation")).isEqualTo("format");
        } finally {
            http.delete("/api/v1/maps/" + id);
        }
    }

    private static void target(int tgid) {
        Bpftool.update(agent.pin(".data.target"), 0, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(tgid).array());
    }

    private static String importMap(ApiClient http, Path pin) {
        Response r = http.post("/api/v1/maps/import", "{\"path\": \"" + pin + "\", \"backend\": \"KERNEL\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json("$.id");
    }

    /** bpftool's formatted values of the map, in the contract's printing, typed by the map's own BTF. */
    private static List<JsonNode> bpftool(Path pin) {
        try (KernelBackend backend = new KernelBackend(); BpfMap map = backend.open(pin)) {
            MapBtf btf = map.btf().orElseThrow();
            return BpftoolFormatted.dump(pin, Btf.parse(btf.blob()), btf.valueTypeId());
        }
    }

    /** An emulated map with the kernel map's spec, BTF and values, imported into the service; its id. */
    private String emulatedCopy(ApiClient http, String kernelId, Path pin) throws IOException {
        Path pins = Files.createDirectories(Path.of(DATA_DIR, "pins"));
        String pinName = "copy_" + pin.getFileName();
        try (KernelBackend backend = new KernelBackend(); BpfMap map = backend.open(pin)) {
            MapSpec spec = map.info().spec();
            MapSpec same = new MapSpec(spec.name(), spec.type(), spec.keySize(), spec.valueSize(), spec.maxEntries(),
                    spec.flags(), false, map.btf().orElseThrow());
            try (BpfMap copy = emulated.create(same)) {
                copy.pin(pins.resolve(pinName));
            } catch (RuntimeException e) {
                throw new AssertionError("an emulated copy of " + pin.getFileName() + " (" + same + ", key type "
                        + same.btf().keyTypeId() + "): " + e, e);
            }
        }
        Response r = http.post("/api/v1/maps/import", "{\"path\": \"" + pinName + "\", \"backend\": \"EMULATED\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String id = r.json("$.id");
        Files.delete(pins.resolve(pinName)); // the service holds the map; the pin is not needed any more
        int entries = r.<Integer>json("$.maxEntries");
        for (int i = 0; i < entries; i++) {
            String hex = http.get("/api/v1/maps/" + kernelId + "/values/" + i + "?format=hex").json("$.hex");
            Response w = http.put("/api/v1/maps/" + id + "/values/" + i, "{\"hex\": \"" + hex + "\"}");
            assertThat(w.status()).as(w.toString()).isEqualTo(204);
        }
        return id;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** Random bytes for the whole value (every CPU's of a per-CPU map), written through the service. */
    private static void writeRandom(ApiClient http, String id, int index, Random random) {
        Response current = http.get("/api/v1/maps/" + id + "/values/" + index + "?format=hex");
        byte[] bytes = new byte[current.<String>json("$.hex").length() / 2];
        random.nextBytes(bytes);
        Response r = http.put("/api/v1/maps/" + id + "/values/" + index, "{\"hex\": \"" + HexFormat.of().formatHex(bytes) + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
    }

    private static JsonNode element(ApiClient http, String id, int index) {
        Response r = http.get("/api/v1/maps/" + id + "/values/" + index + "?format=typed");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("typed");
    }

    private static List<JsonNode> range(ApiClient http, String id, int from, int count) {
        Response r = http.get("/api/v1/maps/" + id + "/values?format=typed&from=" + from + "&count=" + count);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("values").valueStream().map(v -> v.get("typed")).toList();
    }

    private static List<JsonNode> wholeMap(ApiClient http, String id) {
        Response r = http.get("/api/v1/maps/" + id + "/dump?format=typed");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("values").valueStream().map(v -> v.get("typed")).toList();
    }

    private static void assertSame(String what, JsonNode ours, JsonNode bpftool) {
        assertThat(BpftoolFormatted.canonical(ours)).as("%s (seed %d: -Dtyped.seed=%d)", what, SEED, SEED).isEqualTo(BpftoolFormatted.canonical(bpftool));
    }
}
