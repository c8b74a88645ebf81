package io.bpfmapd.e2e;

import static io.bpfmapd.e2e.AbstractMapLifecycleTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.PossibleCpus;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * format=typed over real HTTP, the same on every backend (a subclass per backend): element, range,
 * whole-map and session reads and writes of a map created with a value type, partial writes that change
 * only the fields named, bad input that is EINVAL naming the field and writes nothing.
 */
abstract class AbstractTypedValuesTest {

    /**
     * <pre>
     * struct flow { u64 packets; s32 delta; char comm[16]; enum proto : u32 proto; u16 port; bool ok;
     *               struct inner { u8 a; u32 b; } in; union u { u32 i; u8 b[4]; } u; u16 x[3]; };
     * </pre>
     * Laid out by C: packets 0, delta 8, comm 12, proto 28, port 32, ok 34, in 36 (a 36, b 40), u 44, x 48;
     * 56 bytes.
     */
    static final String FLOW = """
            {"kind": "struct", "name": "flow", "fields": [
              {"name": "packets", "type": {"kind": "u64"}},
              {"name": "delta", "type": {"kind": "s32"}},
              {"name": "comm", "type": {"kind": "char", "length": 16}},
              {"name": "proto", "type": {"kind": "enum", "name": "proto",
                                         "values": [{"name": "TCP", "value": 6}, {"name": "UDP", "value": 17}]}},
              {"name": "port", "type": {"kind": "u16"}},
              {"name": "ok", "type": {"kind": "bool"}},
              {"name": "in", "type": {"kind": "struct", "name": "inner", "fields": [
                {"name": "a", "type": {"kind": "u8"}}, {"name": "b", "type": {"kind": "u32"}}]}},
              {"name": "u", "type": {"kind": "union", "name": "u", "fields": [
                {"name": "i", "type": {"kind": "u32"}},
                {"name": "b", "type": {"kind": "array", "length": 4, "element": {"kind": "u8"}}}]}},
              {"name": "x", "type": {"kind": "array", "length": 3, "element": {"kind": "u16"}}}]}""";

    static final String FLOW_VALUE = """
            {"packets":"18446744073709551615","delta":-5,"comm":"curl","proto":"UDP","port":443,"ok":true,
             "in":{"a":1,"b":4000000000},"u":{"i":16909060,"b":[4,3,2,1]},"x":[1,2,65535]}""";

    @LocalServerPort
    int port;

    ApiClient http;

    abstract String backend();

    @BeforeEach
    void client() {
        http = ApiClient.at(port);
    }

    @AfterEach
    void deleteEverything() {
        List<String> sessions = http.get("/api/v1/sessions").json("$[*].id");
        sessions.forEach(sid -> http.delete("/api/v1/sessions/" + sid));
        List<String> maps = http.get("/api/v1/maps").json("$[*].id");
        maps.forEach(id -> assertThat(http.delete("/api/v1/maps/" + id).status()).isEqualTo(204));
        assertThat(sessions).as("sessions left open by the test").isEmpty();
        assertBackendHoldsNothing();
    }

    /** With every session closed and every map deleted, the backend holds no map and no mapping. */
    abstract void assertBackendHoldsNothing();

    String createTyped(String mapType, String valueType, String flags) {
        Response created = http.post("/api/v1/maps", "{\"name\": \"flows\", \"type\": \"" + mapType + "\", "
                + "\"maxEntries\": 4, \"flags\": " + flags + ", \"backend\": \"" + backend() + "\", \"valueType\": "
                + valueType + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json("$.id");
    }

    static JsonNode json(String text) {
        return ApiClient.JSON.readTree(text);
    }

    byte[] hex(String map, int index) {
        return HexFormat.of().parseHex(http.get("/api/v1/maps/" + map + "/values/" + index).<String>json("$.hex"));
    }

    @Test
    void aValueWrittenTypedReadsBackTypedAndLaidOutAsC() {
        String map = createTyped("ARRAY", FLOW, "[\"MMAPABLE\"]");
        assertThat(http.put("/api/v1/maps/" + map + "/values/1", "{\"typed\": " + FLOW_VALUE + "}").status()).isEqualTo(204);

        Response typed = http.get("/api/v1/maps/" + map + "/values/1?format=typed");
        assertThat(typed.status()).as(typed.toString()).isEqualTo(200);
        assertThat(typed.json().get("index").intValue()).isEqualTo(1);
        assertThat(typed.json().get("typed")).isEqualTo(json(FLOW_VALUE));
        assertThat(typed.json().has("hex")).isFalse();

        ByteBuffer b = ByteBuffer.wrap(hex(map, 1)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.capacity()).isEqualTo(56);
        assertThat(b.getLong(0)).isEqualTo(-1L);
        assertThat(b.getInt(8)).isEqualTo(-5);
        assertThat(new String(b.array(), 12, 5)).isEqualTo("curl\0");
        assertThat(b.getInt(28)).isEqualTo(17);
        assertThat(b.getShort(32)).isEqualTo((short) 443);
        assertThat(b.get(34)).isEqualTo((byte) 1);
        assertThat(b.get(36)).isEqualTo((byte) 1);
        assertThat(b.getInt(40)).isEqualTo((int) 4000000000L);
        assertThat(b.getInt(44)).isEqualTo(0x01020304);
        assertThat(b.getShort(52)).isEqualTo((short) -1);

        // an element never written: zeros, an enum without a name for 0 as its number, an empty string
        assertThat(http.get("/api/v1/maps/" + map + "/values/0?format=typed").json().get("typed")).isEqualTo(json("""
                {"packets":"0","delta":0,"comm":"","proto":0,"port":0,"ok":false,"in":{"a":0,"b":0},
                 "u":{"i":0,"b":[0,0,0,0]},"x":[0,0,0]}"""));
    }

    @Test
    void aStructNamingSomeFieldsChangesOnlyTheirBytes() {
        String map = createTyped("ARRAY", FLOW, "[\"MMAPABLE\"]");
        http.put("/api/v1/maps/" + map + "/values/2", "{\"typed\": " + FLOW_VALUE + "}");
        byte[] before = hex(map, 2);

        assertThat(http.put("/api/v1/maps/" + map + "/values/2", "{\"typed\": {\"port\": 80, \"in\": {\"b\": 7}}}")
                .status()).isEqualTo(204);
        byte[] after = hex(map, 2);
        for (int i = 0; i < before.length; i++) {
            if ((i < 32 || i > 33) && (i < 40 || i > 43)) {
                assertThat(after[i]).as("byte %d", i).isEqualTo(before[i]);
            }
        }
        JsonNode typed = http.get("/api/v1/maps/" + map + "/values/2?format=typed").json().get("typed");
        assertThat(typed.get("port").intValue()).isEqualTo(80);
        assertThat(typed.get("in")).isEqualTo(json("{\"a\":1,\"b\":7}"));
        assertThat(typed.get("comm").stringValue()).isEqualTo("curl");
    }

    @Test
    void badTypedInputIsEinvalNamingTheFieldAndWritesNothing() {
        String map = createTyped("ARRAY", FLOW, "[\"MMAPABLE\"]");
        http.put("/api/v1/maps/" + map + "/values/3", "{\"typed\": " + FLOW_VALUE + "}");
        byte[] before = hex(map, 3);
        String[][] cases = {
                {"{\"port\": 80, \"comm\": \"a sixteen-byte s\"}", "value.comm: the string is too long"},
                {"{\"port\": 65536}", "value.port: 65536 is out of range [0, 65535]"},
                {"{\"in\": {\"c\": 1}}", "value.in.c: unknown field"},
                {"{\"x\": [1, \"two\", 3]}", "value.x[1]"},
                {"{\"proto\": \"ICMP\"}", "value.proto"},
                {"[1]", "value: an array is not an object"}};
        for (String[] c : cases) {
            Response r = http.put("/api/v1/maps/" + map + "/values/3", "{\"typed\": " + c[0] + "}");
            assertProblem(r, 400, "EINVAL");
            assertThat(r.<String>json("$.detail")).as(c[0]).contains(c[1]);
        }
        assertThat(hex(map, 3)).isEqualTo(before);
        // typed and another value field: one field only, as ever
        assertProblem(http.put("/api/v1/maps/" + map + "/values/3", "{\"typed\": {}, \"hex\": \"00\"}"), 400, "EINVAL");
        // the index past max_entries: the update's own errno, as for any format
        assertProblem(http.put("/api/v1/maps/" + map + "/values/4", "{\"typed\": {\"port\": 1}}"), 400, "E2BIG");
    }

    @Test
    void rangesAndTheWholeMapReadTyped() {
        String map = createTyped("ARRAY", FLOW, "[\"MMAPABLE\"]");
        http.put("/api/v1/maps/" + map + "/values/1", "{\"typed\": " + FLOW_VALUE + "}");

        Response range = http.get("/api/v1/maps/" + map + "/values?from=1&count=2&format=typed");
        assertThat(range.status()).as(range.toString()).isEqualTo(200);
        assertThat(range.<String>json("$.format")).isEqualTo("typed");
        assertThat(range.json().get("values").get(0).get("typed")).isEqualTo(json(FLOW_VALUE));
        assertThat(range.json().get("values").get(1).get("typed").get("port").intValue()).isZero();

        Response dump = http.get("/api/v1/maps/" + map + "/dump?format=typed");
        assertThat(dump.status()).as(dump.toString()).isEqualTo(200);
        assertThat(dump.contentType()).startsWith("application/json");
        assertThat(dump.<Integer>json("$.count")).isEqualTo(4);
        assertThat(dump.<List<Integer>>json("$.values[*].index")).containsExactly(0, 1, 2, 3);
        assertThat(dump.json().get("values").get(1).get("typed")).isEqualTo(json(FLOW_VALUE));

        // the dump in another format: the same elements as a range read gives
        Response hexDump = http.get("/api/v1/maps/" + map + "/dump");
        assertThat(hexDump.json().get("values").get(1))
                .isEqualTo(http.get("/api/v1/maps/" + map + "/values/1").json());
    }

    @Test
    void theWholeMapOfAMapThatCannotBeMappedReadsTyped() {
        // no MMAPABLE: the dump streams batch lookups
        String map = createTyped("ARRAY", FLOW, "[]");
        http.put("/api/v1/maps/" + map + "/values/3", "{\"typed\": " + FLOW_VALUE + "}");
        Response dump = http.get("/api/v1/maps/" + map + "/dump?format=typed");
        assertThat(dump.status()).as(dump.toString()).isEqualTo(200);
        assertThat(dump.<List<Integer>>json("$.values[*].index")).containsExactly(0, 1, 2, 3);
        assertThat(dump.json().get("values").get(3).get("typed")).isEqualTo(json(FLOW_VALUE));
    }

    @Test
    void aSessionReadsAndWritesWholeElementsTyped() {
        String map = createTyped("ARRAY", FLOW, "[\"MMAPABLE\"]");
        http.put("/api/v1/maps/" + map + "/values/1", "{\"typed\": " + FLOW_VALUE + "}");
        String sid = http.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\"}").json("$.id");
        String memory = "/api/v1/sessions/" + sid + "/memory";

        // without a length: every element up to the last (the window is a page, the elements 4 * 56 bytes)
        Response all = http.get(memory + "?format=typed");
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.<Integer>json("$.length")).isEqualTo(4 * 56);
        assertThat(all.json().get("typed").size()).isEqualTo(4);
        assertThat(all.json().get("typed").get(1)).isEqualTo(json(FLOW_VALUE));
        Response one = http.get(memory + "?format=typed&offset=56&length=56");
        assertThat(one.json().get("typed")).isEqualTo(json("[" + FLOW_VALUE + "]"));

        // not on element boundaries, or past the last element: EINVAL naming format
        for (String bad : List.of("?format=typed&offset=4", "?format=typed&offset=56&length=8",
                "?format=typed&offset=56&length=224")) {
            Response r = http.get(memory + bad);
            assertProblem(r, 400, "EINVAL");
            assertThat(r.<String>json("$.detail")).as(bad).contains("format");
        }

        byte[] before = hex(map, 1);
        assertThat(http.put(memory + "?offset=56", "{\"typed\": [{\"port\": 8080}]}").status()).isEqualTo(204);
        byte[] after = hex(map, 1);
        assertThat(ByteBuffer.wrap(after).order(ByteOrder.LITTLE_ENDIAN).getShort(32)).isEqualTo((short) 8080);
        for (int i = 0; i < before.length; i++) {
            if (i < 32 || i > 33) {
                assertThat(after[i]).as("byte %d", i).isEqualTo(before[i]);
            }
        }
        Response bad = http.put(memory + "?offset=0", "{\"typed\": [{}, {\"port\": -1}]}");
        assertProblem(bad, 400, "EINVAL");
        assertThat(bad.<String>json("$.detail")).contains("element 1").contains("value.port");
        assertThat(hex(map, 1)).isEqualTo(after);
        assertProblem(http.put(memory + "?offset=4", "{\"typed\": [{}]}"), 400, "EINVAL");
        assertThat(http.delete("/api/v1/sessions/" + sid).status()).isEqualTo(204);
    }

    @Test
    void aPerCpuValueIsOneTypedValuePerCpu() {
        int cpus = PossibleCpus.count();
        String map = createTyped("PERCPU_ARRAY", """
                {"kind": "struct", "name": "c", "fields": [{"name": "n", "type": {"kind": "u32"}},
                 {"name": "m", "type": {"kind": "u16"}}]}""", "[]");
        StringBuilder values = new StringBuilder("[");
        for (int cpu = 0; cpu < cpus; cpu++) {
            values.append(cpu == 0 ? "" : ",").append("{\"n\":").append(cpu + 1).append(",\"m\":").append(cpu).append('}');
        }
        String perCpu = values.append(']').toString();
        assertThat(http.put("/api/v1/maps/" + map + "/values/0", "{\"typed\": " + perCpu + "}").status()).isEqualTo(204);
        assertThat(http.get("/api/v1/maps/" + map + "/values/0?format=typed").json().get("typed")).isEqualTo(json(perCpu));
        // a part of one CPU's value: the others stay
        String partial = perCpu.replaceFirst("\\{\"n\":1,\"m\":0}", "{\"m\":9}");
        assertThat(http.put("/api/v1/maps/" + map + "/values/0", "{\"typed\": " + partial + "}").status()).isEqualTo(204);
        assertThat(http.get("/api/v1/maps/" + map + "/values/0?format=typed").json().get("typed").get(0))
                .isEqualTo(json("{\"n\":1,\"m\":9}"));
        assertProblem(http.put("/api/v1/maps/" + map + "/values/0", "{\"typed\": {\"n\": 1}}"), 400, "EINVAL");
    }

    @Test
    void aMapWithoutBtfIsEinvalNamingFormat() {
        Response created = http.post("/api/v1/maps", "{\"type\": \"ARRAY\", \"valueSize\": 8, \"maxEntries\": 2, "
                + "\"flags\": [\"MMAPABLE\"], \"backend\": \"" + backend() + "\"}");
        String map = created.json("$.id");
        for (Response r : List.of(http.get("/api/v1/maps/" + map + "/values/0?format=typed"),
                http.get("/api/v1/maps/" + map + "/values?format=typed"),
                http.get("/api/v1/maps/" + map + "/dump?format=typed"),
                http.put("/api/v1/maps/" + map + "/values/0", "{\"typed\": {\"a\": 1}}"))) {
            assertProblem(r, 400, "EINVAL");
            assertThat(r.<String>json("$.detail")).as(r.toString()).contains("format").contains("BTF");
        }
        assertThat(hex(map, 0)).containsOnly(0);
    }
}
