package io.bpfmapd.typed;

import static io.bpfmapd.typed.BpftoolValues.assertSameValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.kernel.KernelBackend;
import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.btf.Btf;
import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.testing.LibbpfAgent;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The codec against the reference, over BTF nobody here wrote: src/test/bpf/typed.bpf.c compiled by clang
 * and loaded by libbpf (bitfields with kind_flag, an anonymous union, one-byte and eight-byte enums, char
 * arrays with and without a string, a bool, a pointer, const volatile members, and the globals' DATASECs).
 * For every element of the struct-valued map and of .data, .rodata and .bss, the typed JSON of the bytes
 * the kernel returns equals bpftool's {@code formatted} JSON (numbers normalised, {@link BpftoolValues}),
 * and JSON written through {@link TypedValue#parse} reads back from the kernel as it was written.
 */
@RequiresKernel
class TypedValueBpftoolTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** struct rich, as clang lays it out (bpftool btf dump): ok at 33, lvl 34, color 36, big 64. */
    private static final int RICH_SIZE = 88;

    private final KernelBackend kernel = new KernelBackend();
    private Path dir;
    private LibbpfAgent agent;

    @BeforeEach
    void start() throws Exception {
        Bpftool.require();
        LibbpfAgent.require();
        dir = Files.createDirectories(PinDir.path("typed_values"));
        agent = LibbpfAgent.start("typed", dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        kernel.close();
        Files.deleteIfExists(dir);
    }

    @Test
    void everyElementOfAStructMapPrintsAsBpftoolPrintsIt() {
        try (BpfMap map = kernel.open(agent.pin("rich_map"), Access.READ_WRITE)) {
            TypedValue rich = typed(map);
            assertThat(rich.size()).isEqualTo(RICH_SIZE);

            // element 0: written through the codec from JSON naming every member
            JsonNode written = JSON.readTree("""
                    {"packets":"18446744073709551615","delta":-7,"flags":5,"level":31,"wide":1048575,"comm":"curl",
                     "c":65,"ok":true,"lvl":"LOW","color":"BLUE","":{"addr":3232235777,"bytes":[1,1,168,192]},
                     "pair":{"lo":1,"hi":65535},"in":[{"name":"eth0","port":80},{"name":"lo","port":443}],
                     "big":"4294967296","ptr":"18446612682070376448","neg":"-9223372036854775808"}""");
            TypedPatch patch = rich.parse(written);
            assertThat(patch.whole()).isTrue();
            map.update(0, patch.applyTo(new byte[RICH_SIZE]), UpdateFlag.ANY);

            // element 1: random bytes, but for the members bpftool prints differently by design (a bool it reads as
            // an int, enum numbers it prints signed): the bool set, the small enums named. (This clang, 14, emits
            // enum big as an 8-byte ENUM of 32-bit values: HUGE and HUGER are both 0 in the BTF.)
            byte[] random = new byte[RICH_SIZE];
            new Random(13).nextBytes(random);
            ByteBuffer b = ByteBuffer.wrap(random).order(ByteOrder.LITTLE_ENDIAN);
            b.put(33, (byte) 1).put(34, (byte) 1).putInt(36, 200).putLong(64, 0x100000000L);
            map.update(1, random, UpdateFlag.ANY);
            // element 2: zeros

            JsonNode dump = JSON.readTree(Bpftool.run("-j", "map", "dump", "pinned", agent.pin("rich_map").toString()));
            assertThat(dump.size()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                JsonNode ours = rich.toJson(MemorySegment.ofArray(map.lookup(i)), 0);
                assertSameValue(ours, dump.get(i).get("formatted").get("value"), "rich_map[" + i + "]");
            }
            assertThat(rich.toJson(MemorySegment.ofArray(map.lookup(0)), 0)).isEqualTo(written);
        }
    }

    @Test
    void theGlobalVariablesSectionsPrintAsBpftoolPrintsThem() {
        for (String section : new String[] {".data", ".rodata", ".bss"}) {
            try (BpfMap map = kernel.open(agent.pin(section), Access.READ_ONLY)) {
                TypedValue datasec = typed(map);
                JsonNode ours = datasec.toJson(MemorySegment.ofArray(map.lookup(0)), 0);
                JsonNode dump = JSON.readTree(Bpftool.run("-j", "map", "dump", "pinned", agent.pin(section).toString()));
                assertSameValue(ours, dump.get(0).get("formatted").get("value"), section);
                assertThat(ours.propertyNames()).containsExactly(section);
            }
        }
        try (BpfMap data = kernel.open(agent.pin(".data"), Access.READ_ONLY)) {
            JsonNode vars = typed(data).toJson(MemorySegment.ofArray(data.lookup(0)), 0).get(".data");
            assertThat(vars.get(0).get("data_rich").get("in").get(1)).isEqualTo(JSON.readTree("{\"name\":\"lo\",\"port\":443}"));
            assertThat(vars.get(0).get("data_rich").get("level").intValue()).as("-3 in 5 bits, as bpftool prints it").isEqualTo(29);
            assertThat(vars.get(1)).isEqualTo(JSON.readTree("{\"greeting\":\"hi\"}"));
        }
    }

    private static TypedValue typed(BpfMap map) {
        MapBtf btf = map.btf().orElseThrow();
        return TypedValue.of(Btf.parse(btf.blob()), btf.valueTypeId());
    }
}
