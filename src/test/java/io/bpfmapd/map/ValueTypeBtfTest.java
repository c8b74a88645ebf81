package io.bpfmapd.map;

import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfType;
import io.bpfmapd.map.ValueType.ValueTypeEnumerator;
import io.bpfmapd.map.ValueType.ValueTypeField;
import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.testing.Requirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.bpfmapd.map.ValueTypeKind.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The layout and BTF of a value type: held to clang's for the same C declaration (compiled here with
 * {@code clang -g -target bpf}, read back with {@code bpftool btf dump file}), and the refusals of
 * descriptions that are not one, each naming the member's JSON path.
 */
class ValueTypeBtfTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The C twin of {@link #everyKind()}. */
    private static final String C = """
            struct bpf_spin_lock { unsigned int val; };
            struct bpf_timer { unsigned long long __opaque[2]; } __attribute__((aligned(8)));
            enum proto { TCP = 6, NEG = -1 };
            enum big { HUGE = 0x100000000LL };
            struct inner { unsigned char a; unsigned long long b; unsigned short c; };
            union either { unsigned int x; unsigned char y[5]; };
            struct value {
                char c;
                struct bpf_spin_lock lock;
                short s;
                struct bpf_timer t;
                _Bool b;
                struct inner in[3];
                union either u;
                enum proto p;
                signed char sc;
                long long ll;
                char comm[7];
                enum big e;
                int i;
                unsigned int ui;
                unsigned long long ull;
            };
            struct value v;
            """;

    static ValueType everyKind() {
        ValueType inner = ValueType.struct("inner", List.of(field("a", ValueType.of(U8)), field("b", ValueType.of(U64)),
                field("c", ValueType.of(U16))));
        ValueType either = new ValueType(UNION, "either", null, null, List.of(field("x", ValueType.of(U32)),
                field("y", new ValueType(ARRAY, null, 5, ValueType.of(U8), null, null, null))), null, null);
        ValueType proto = new ValueType(ENUM, "proto", null, null, null,
                List.of(new ValueTypeEnumerator("TCP", 6L), new ValueTypeEnumerator("NEG", -1L)), null);
        ValueType big = new ValueType(ENUM, "big", null, null, null, List.of(new ValueTypeEnumerator("HUGE", 1L << 32)), 8);
        return ValueType.struct("value", List.of(
                field("c", ValueType.of(CHAR)),
                field("lock", ValueType.of(BPF_SPIN_LOCK)),
                field("s", ValueType.of(S16)),
                field("t", ValueType.of(BPF_TIMER)),
                field("b", ValueType.of(BOOL)),
                field("in", new ValueType(ARRAY, null, 3, inner, null, null, null)),
                field("u", either),
                field("p", proto),
                field("sc", ValueType.of(S8)),
                field("ll", ValueType.of(S64)),
                field("comm", new ValueType(CHAR, null, 7, null, null, null, null)),
                field("e", big),
                field("i", ValueType.of(S32)),
                field("ui", ValueType.of(U32)),
                field("ull", ValueType.of(U64))));
    }

    @Test
    void laysOutEveryKindAsClangDoes(@TempDir Path dir) throws Exception {
        ValueTypeBtf.Built built = ValueTypeBtf.build(everyKind());
        Btf ours = Btf.parse(built.btf().blob());

        Map<String, Object> clang = clangLayouts(dir);
        Map<String, Object> mine = new TreeMap<>();
        for (BtfType t : ours.types()) {
            describe(t, ours.types(), mine);
        }
        assertThat(mine).isEqualTo(clang);
        assertThat(built.size()).isEqualTo(ours.sizeOf(built.btf().valueTypeId())).isEqualTo(clang.get("struct value size"));
        assertThat(ours.resolve(built.btf().keyTypeId())).isEqualTo(new BtfType.Int(built.btf().keyTypeId(), "unsigned int", 4,
                BtfType.IntEncoding.NONE, 0, 32));
    }

    @Test
    void aValueMayBeAScalarOrAnArray() {
        assertThat(ValueTypeBtf.build(ValueType.of(U64)).size()).isEqualTo(8);
        assertThat(ValueTypeBtf.build(new ValueType(CHAR, null, 16, null, null, null, null)).size()).isEqualTo(16);
        assertThat(ValueTypeBtf.build(new ValueType(ARRAY, null, 3, ValueType.of(U16), null, null, null)).size()).isEqualTo(6);
        // struct { u64; u8 } pads to 16, as C does.
        assertThat(ValueTypeBtf.build(ValueType.struct(null, List.of(field("a", ValueType.of(U64)), field("b", ValueType.of(U8)))))
                .size()).isEqualTo(16);
    }

    @Test
    void aBadDescriptionNamesItsPath() {
        ValueType lock = ValueType.of(BPF_SPIN_LOCK);
        assertRefused(new ValueType(null, null, null, null, null, null, null), "valueType.kind");
        assertRefused(ValueType.struct("v", List.of()), "valueType.fields");
        assertRefused(ValueType.struct("v", List.of(field("a", ValueType.of(U8)), field("a", ValueType.of(U8)))),
                "valueType.fields[1].name");
        assertRefused(ValueType.struct("v", List.of(field("a-b", ValueType.of(U8)))), "valueType.fields[0].name");
        assertRefused(ValueType.struct("v", List.of(field("a", null))), "valueType.fields[0].type");
        assertRefused(ValueType.struct("v", List.of(field("a", new ValueType(ARRAY, null, 0, ValueType.of(U8), null, null, null)))),
                "valueType.fields[0].type.length");
        assertRefused(ValueType.struct("v", List.of(field("a", new ValueType(ARRAY, null, 2, null, null, null, null)))),
                "valueType.fields[0].type.element");
        assertRefused(new ValueType(U32, null, 4, null, null, null, null), "valueType.length");
        assertRefused(new ValueType(U32, "n", null, null, null, null, null), "valueType.name");
        assertRefused(new ValueType(ENUM, "e", null, null, null, List.of(new ValueTypeEnumerator("A", 256L)), 1),
                "valueType.values[0].value");
        assertRefused(new ValueType(ENUM, "e", null, null, null, List.of(new ValueTypeEnumerator("A", 1L)), 3), "valueType.size");
        assertRefused(ValueType.struct("bpf_spin_lock", List.of(field("val", ValueType.of(U32)))), "valueType.name");
        // Special fields only as members of the value struct: where the kernel finds them predictably.
        assertRefused(lock, "valueType");
        assertRefused(ValueType.struct("v", List.of(field("in", ValueType.struct("in", List.of(field("l", lock)))))),
                "valueType.fields[0].type.fields[0].type");
        assertRefused(new ValueType(UNION, "u", null, null, List.of(field("l", lock)), null, null), "valueType.fields[0].type");
        assertRefused(ValueType.struct("v", List.of(field("ls", new ValueType(ARRAY, null, 1, lock, null, null, null)))),
                "valueType.fields[0].type.element");
        assertRefused(ValueType.struct("v", List.of(field("big", new ValueType(ARRAY, null, Integer.MAX_VALUE,
                ValueType.of(U64), null, null, null)))), "valueType.fields[0].type");
        ValueType deep = ValueType.of(U8);
        for (int i = 0; i < ValueTypeBtf.MAX_DEPTH + 2; i++) {
            deep = new ValueType(ARRAY, null, 1, deep, null, null, null);
        }
        ValueType tooDeep = deep;
        assertThatThrownBy(() -> ValueTypeBtf.build(tooDeep)).isInstanceOf(InvalidValueTypeException.class)
                .hasMessageContaining("nested deeper than");
    }

    private static void assertRefused(ValueType type, String path) {
        assertThatThrownBy(() -> ValueTypeBtf.build(type)).isInstanceOf(InvalidValueTypeException.class)
                .hasMessageStartingWith(path + ": ")
                .satisfies(e -> assertThat(((InvalidValueTypeException) e).properties().get("errors"))
                        .isEqualTo(List.of(e.getMessage())));
    }

    private static ValueTypeField field(String name, ValueType type) {
        return new ValueTypeField(name, type);
    }

    /** Each named struct's, union's and enum's size, and each member's bit offset and its type's size. */
    private static void describe(BtfType t, List<BtfType> types, Map<String, Object> out) {
        switch (t) {
            case BtfType.Composite c when !c.name().isEmpty() -> {
                String key = c.kind().name().toLowerCase() + " " + c.name();
                out.put(key + " size", c.size());
                List<String> members = new ArrayList<>();
                for (BtfType.Member m : c.members()) {
                    members.add(m.name() + "@" + m.bitOffset());
                }
                out.put(key + " members", members);
            }
            case BtfType.Enumeration e when !e.name().isEmpty() -> {
                out.put("enum " + e.name() + " size", e.size());
            }
            default -> {
            }
        }
    }

    private static Map<String, Object> clangLayouts(Path dir) throws IOException, InterruptedException {
        boolean clang = Files.isExecutable(Path.of("/usr/bin/clang"));
        Requirement.require("clang", clang, "not installed (Debian: apt-get install clang)");
        Path c = dir.resolve("value.bpf.c");
        Path o = dir.resolve("value.bpf.o");
        Files.writeString(c, C);
        Process p = new ProcessBuilder("clang", "-O2", "-g", "-target", "bpf", "-c", c.toString(), "-o", o.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        JsonNode types = JSON.readTree(Bpftool.run("-j", "btf", "dump", "file", o.toString())).get("types");
        Map<String, Object> layouts = new TreeMap<>();
        for (JsonNode t : types) {
            String kind = t.get("kind").asString();
            String name = t.get("name").asString();
            if (name.equals("(anon)")) {
                continue;
            }
            switch (kind) {
                case "STRUCT", "UNION" -> {
                    String key = kind.toLowerCase() + " " + name;
                    layouts.put(key + " size", t.get("size").asLong());
                    List<String> members = new ArrayList<>();
                    for (JsonNode m : t.get("members")) {
                        members.add(m.get("name").asString() + "@" + m.get("bits_offset").asLong());
                    }
                    layouts.put(key + " members", members);
                }
                case "ENUM", "ENUM64" -> {
                    // Only the size: this clang writes a signed or 64-bit enum as an unsigned ENUM, truncated.
                    layouts.put("enum " + name + " size", t.get("size").asLong());
                }
                default -> {
                }
            }
        }
        return Collections.unmodifiableMap(layouts);
    }
}
