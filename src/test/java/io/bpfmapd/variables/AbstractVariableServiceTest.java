package io.bpfmapd.variables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.btf.BtfType;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.config.BackendProperties;
import io.bpfmapd.map.BtfNotFoundException;
import io.bpfmapd.map.CreateMapRequest;
import io.bpfmapd.map.MapService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Variables by name, the same on every backend (one subclass per backend): found from the DATASEC, read
 * and written as bytes and as typed JSON through a mapping (MMAPABLE) or through lookup and update, only
 * the variable's bytes (bits) changing, and the backend's own errno for what it refuses.
 */
abstract class AbstractVariableServiceTest {

    @TempDir
    Path data;
    private SectionBackend backend;
    private MapService maps;
    private VariableService variables;

    /** A fresh backend of the subclass's kind, over {@code data} where it keeps files. */
    abstract BpfBackend newBackend(Path data);

    @BeforeEach
    void start() {
        backend = new SectionBackend(newBackend(data));
        maps = new MapService(List.of(backend), new BackendProperties(backend.kind()),
                new ApiProperties(1024, 1 << 20), Clock.systemUTC(), new SimpleMeterRegistry());
        variables = new VariableService(maps, new ApiProperties(1024, 1 << 20));
    }

    @AfterEach
    void stop() {
        maps.closeAll();
        backend.close();
    }

    @Test
    void theSectionIsTheDatasecWithItsFullNameAndEachVariableItsCDeclaration() {
        String id = section(List.of(MapFlag.MMAPABLE));

        Section section = variables.section(id);

        assertThat(section.name()).isEqualTo(".data.custom");
        assertThat(section.size()).isEqualTo(SectionBtf.SIZE);
        assertThat(section.variables()).extracting(Variable::name, Variable::offset, Variable::size, Variable::type,
                        Variable::declaration, Variable::linkage)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("counter", 0L, 4L, "int", "int counter", BtfType.Linkage.GLOBAL),
                        org.assertj.core.groups.Tuple.tuple("comm", 4L, 16L, "char[16]", "char comm[16]", BtfType.Linkage.GLOBAL),
                        org.assertj.core.groups.Tuple.tuple("knobs", 20L, 4L, "struct flags", "struct flags knobs",
                                BtfType.Linkage.GLOBAL),
                        org.assertj.core.groups.Tuple.tuple("total", 24L, 8L, "long long", "long long total",
                                BtfType.Linkage.STATIC));
        assertThatThrownBy(() -> variables.variable(id, section, "nope"))
                .isInstanceOf(VariableNotFoundException.class).hasMessageContaining("'nope'").hasMessageContaining(".data.custom");
    }

    @ParameterizedTest(name = "mmapable {0}")
    @ValueSource(booleans = {true, false})
    void aWriteChangesTheVariablesBytesAndNothingElse(boolean mmapable) {
        String id = section(mmapable ? List.of(MapFlag.MMAPABLE) : List.of());
        byte[] before = new byte[SectionBtf.SIZE];
        Arrays.fill(before, (byte) 0x5a);
        maps.update(id, 0, before, io.bpfmapd.backend.UpdateFlag.ANY);

        variables.write(id, 4, "bpfmapd\0\0\0\0\0\0\0\0\0".getBytes(), full(16));

        byte[] after = maps.lookup(id, 0);
        assertThat(Arrays.copyOfRange(after, 4, 20)).isEqualTo("bpfmapd\0\0\0\0\0\0\0\0\0".getBytes());
        assertThat(Arrays.copyOfRange(after, 0, 4)).containsOnly(0x5a);
        assertThat(Arrays.copyOfRange(after, 20, 32)).containsOnly(0x5a);
        assertThat(variables.read(id, 4, 16)).isEqualTo(Arrays.copyOfRange(after, 4, 20));
        assertThat(maps.get(id).info().mappings()).as("no mapping is left behind").isZero();
    }

    @ParameterizedTest(name = "mmapable {0}")
    @ValueSource(booleans = {true, false})
    void aMaskedWriteSetsOnlyTheMasksBits(boolean mmapable) {
        String id = section(mmapable ? List.of(MapFlag.MMAPABLE) : List.of());
        byte[] before = new byte[SectionBtf.SIZE];
        before[20] = (byte) 0b1111_0001; // on = 1, level = 0, the bits above them set
        maps.update(id, 0, before, io.bpfmapd.backend.UpdateFlag.ANY);

        // level = 5 (bits 1..3 of knobs)
        variables.write(id, 20, new byte[]{0b1010, 0, 0, 0}, new byte[]{0b1110, 0, 0, 0});

        assertThat(maps.lookup(id, 0)[20]).isEqualTo((byte) 0b1111_1011);
        assertThat(variables.read(id, 20, 4)).isEqualTo(new byte[]{(byte) 0b1111_1011, 0, 0, 0});
    }

    @ParameterizedTest(name = "mmapable {0}")
    @ValueSource(booleans = {true, false})
    void aFrozenSectionRefusesTheWriteWithEpermAsTheKernelDoesAndKeepsItsBytes(boolean mmapable) {
        String id = section(mmapable ? List.of(MapFlag.MMAPABLE, MapFlag.RDONLY_PROG) : List.of(MapFlag.RDONLY_PROG));
        byte[] before = ByteBuffer.allocate(SectionBtf.SIZE).order(ByteOrder.nativeOrder()).putInt(7).array();
        maps.update(id, 0, before, io.bpfmapd.backend.UpdateFlag.ANY);
        maps.freeze(id);

        assertThatThrownBy(() -> variables.write(id, 0, new byte[]{1, 0, 0, 0}, full(4)))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        assertThat(maps.lookup(id, 0)).isEqualTo(before);
        assertThat(variables.read(id, 0, 4)).isEqualTo(new byte[]{7, 0, 0, 0});
    }

    @Test
    void anUnfrozenRdonlyProgSectionIsWrittenThroughUpdateWhichTheFlagDoesNotForbid() {
        // bpf_map_mmap refuses it a writable mapping (EACCES); map_update_elem takes it until it is frozen.
        String id = section(List.of(MapFlag.MMAPABLE, MapFlag.RDONLY_PROG));

        variables.write(id, 0, new byte[]{42, 0, 0, 0}, full(4));

        assertThat(maps.lookup(id, 0)[0]).isEqualTo((byte) 42);
    }

    @Test
    void aMapWithoutADatasecHasNoVariables() {
        String untyped = create(MapType.ARRAY, List.of(), null);
        assertThatThrownBy(() -> variables.section(untyped)).isInstanceOf(BtfNotFoundException.class);

        // The same BTF, but the value type is the struct, not the DATASEC.
        String struct = create(MapType.ARRAY, List.of(), 4, new MapBtf(SectionBtf.blob(), 0, 1, SectionBtf.STRUCT));
        assertThatThrownBy(() -> variables.section(struct)).isInstanceOf(NotASectionException.class)
                .hasMessageContaining("STRUCT, not a DATASEC");

        String perCpu = create(MapType.PERCPU_ARRAY, List.of(), new MapBtf(SectionBtf.blob(), 0, 1, SectionBtf.DATASEC));
        assertThatThrownBy(() -> variables.section(perCpu)).isInstanceOf(NotASectionException.class)
                .hasMessageContaining("PERCPU_ARRAY");
    }

    @ParameterizedTest(name = "mmapable {0}")
    @ValueSource(booleans = {true, false})
    void variablesReadAndWriteAsTypedJsonAndAStructMayBeWrittenInPart(boolean mmapable) {
        String id = section(mmapable ? List.of(MapFlag.MMAPABLE) : List.of());
        byte[] before = ByteBuffer.allocate(SectionBtf.SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(-3).put("init".getBytes()).position(20).putInt(0b0101).putLong(1L << 60).array();
        maps.update(id, 0, before, io.bpfmapd.backend.UpdateFlag.ANY);

        SectionResponse list = variables.list(id);
        assertThat(list.section()).isEqualTo(".data.custom");
        assertThat(list.variables()).extracting(v -> v.name() + "=" + v.value()).containsExactly(
                "counter=-3", "comm=\"init\"", "knobs={\"on\":1,\"level\":2}", "total=\"1152921504606846976\"");

        variables.put(id, "knobs", json("{\"level\": 7}"));
        variables.put(id, "total", json("\"-1\""));

        assertThat(variables.get(id, "knobs").value()).isEqualTo(json("{\"on\":1,\"level\":7}"));
        assertThat(variables.get(id, "total").value()).isEqualTo(json("\"-1\""));
        byte[] after = maps.lookup(id, 0);
        assertThat(after[20]).isEqualTo((byte) 0b1111);
        assertThat(Arrays.copyOfRange(after, 0, 20)).as("the other variables").isEqualTo(Arrays.copyOfRange(before, 0, 20));
    }

    @Test
    void jsonTheTypeDoesNotTakeIsEinvalNamingTheFieldAndWritesNothing() {
        String id = section(List.of(MapFlag.MMAPABLE));
        byte[] before = maps.lookup(id, 0);

        assertThatThrownBy(() -> variables.put(id, "knobs", json("{\"level\": 7, \"nope\": 1}")))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> variables.put(id, "comm", json("\"a string longer than sixteen\"")))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        assertThatThrownBy(() -> variables.put(id, "nope", json("1"))).isInstanceOf(VariableNotFoundException.class);
        assertThat(maps.lookup(id, 0)).isEqualTo(before);
    }

    @Test
    void aSectionLargerThanOneJsonAnswerIsEinvalForTheListAndItsVariablesStillRead() {
        VariableService small = new VariableService(maps, new ApiProperties(1024, 16));
        String id = section(List.of(MapFlag.MMAPABLE));

        assertThatThrownBy(() -> small.list(id))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessageContaining("bpfmapd.api.max-json-bytes");
        assertThat(small.get(id, "counter").value()).isEqualTo(json("0"));
    }

    private static tools.jackson.databind.JsonNode json(String text) {
        return tools.jackson.databind.json.JsonMapper.shared().readTree(text);
    }

    private String section(List<MapFlag> flags) {
        return create(MapType.ARRAY, flags, new MapBtf(SectionBtf.blob(), 0, 1, SectionBtf.DATASEC));
    }

    private String create(MapType type, List<MapFlag> flags, MapBtf btf) {
        return create(type, flags, SectionBtf.SIZE, btf);
    }

    private String create(MapType type, List<MapFlag> flags, int valueSize, MapBtf btf) {
        backend.nextBtf(btf);
        return maps.create(new CreateMapRequest("sec", type, 4, valueSize, 1, flags, backend.kind(), null)).id();
    }

    private static byte[] full(int n) {
        byte[] mask = new byte[n];
        Arrays.fill(mask, (byte) 0xff);
        return mask;
    }
}
