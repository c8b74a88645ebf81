package io.bpfmapd.btf;

import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.testing.Requirement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reader against a corpus nobody here wrote: the running kernel's own BTF, tens of thousands of
 * types, read by this reader and by bpftool ({@code btf dump file /sys/kernel/btf/vmlinux -j}); every
 * type's kind, name, size, members, offsets, bitfield sizes, values, parameters and variables must be
 * equal. Needs the file (CONFIG_DEBUG_INFO_BTF) and bpftool: fails under CI=true without them.
 */
class BtfVmlinuxTest {

    static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private static Btf btf;
    private static JsonNode bpftool;

    /** The kernel's BTF, or a skip (a failure in CI) with the reason. */
    static byte[] vmlinux() throws Exception {
        Requirement.require("/sys/kernel/btf/vmlinux", Files.isReadable(VMLINUX),
                "the kernel has no BTF of its own (CONFIG_DEBUG_INFO_BTF) or /sys is not mounted");
        return Files.readAllBytes(VMLINUX);
    }

    @BeforeAll
    static void readBoth() throws Exception {
        btf = Btf.parse(vmlinux());
        bpftool = BpftoolBtfJson.MAPPER.readTree(Bpftool.run("btf", "dump", "file", VMLINUX.toString(), "-j")).get("types");
    }

    @Test
    void everyTypeEqualsBpftoolsDump() {
        assertThat(btf.lastTypeId()).isEqualTo(bpftool.size()).isGreaterThan(10_000);
        List<String> differences = new ArrayList<>();
        for (JsonNode expected : bpftool) {
            int id = expected.get("id").intValue();
            JsonNode actual = BpftoolBtfJson.of(btf.type(id));
            if (!actual.equals(BpftoolBtfJson.BY_VALUE, expected)) {
                differences.add("type " + id + ":\n  bpftool " + expected + "\n  reader  " + actual);
            }
        }
        assertThat(differences).as("types that differ from bpftool's dump").isEmpty();
    }

    /** The writer round-trips the kernel's types: what the service will build is read back as written. */
    @Test
    void theWriterRoundTripsEveryType() {
        assertThat(Btf.parse(BtfWriter.write(btf.types(), java.nio.ByteOrder.LITTLE_ENDIAN)).types()).isEqualTo(btf.types());
    }

    @Test
    void theCorpusHasEveryKindTheKernelEmits() {
        Set<BtfKind> kinds = EnumSet.noneOf(BtfKind.class);
        btf.types().forEach(t -> kinds.add(t.kind()));
        assertThat(kinds).contains(BtfKind.INT, BtfKind.PTR, BtfKind.ARRAY, BtfKind.STRUCT, BtfKind.UNION, BtfKind.ENUM,
                BtfKind.FWD, BtfKind.TYPEDEF, BtfKind.VOLATILE, BtfKind.CONST, BtfKind.FUNC, BtfKind.FUNC_PROTO,
                BtfKind.VAR, BtfKind.DATASEC);
        assertThat(btf.types()).as("bitfields with kind_flag")
                .anyMatch(t -> t instanceof BtfType.Struct s && s.members().stream().anyMatch(m -> m.bitfieldSize() > 0));
    }

    /** Sizes resolve through typedefs and qualifiers to what the declarations say. */
    @Test
    void sizesAndAlignmentsResolveThroughTypedefsAndQualifiers() {
        for (BtfType t : btf.types()) {
            if (t instanceof BtfType.Composite c) {
                assertThat(btf.sizeOf(t.id())).isEqualTo(c.size());
                assertThat(c.size() % btf.alignOf(t.id())).as("%s's size is a multiple of its alignment", t).isZero();
            }
            if (t instanceof BtfType.Alias a && btf.hasSize(a.type())) {
                assertThat(btf.sizeOf(t.id())).isEqualTo(btf.sizeOf(a.type()));
                assertThat(btf.resolve(t.id())).isEqualTo(btf.resolve(a.type()));
            }
            if (t instanceof BtfType.Array a) {
                assertThat(btf.sizeOf(t.id())).isEqualTo(a.nelems() * btf.sizeOf(a.type()));
            }
        }
        int u64 = btf.find(BtfKind.TYPEDEF, "u64").orElseThrow().id();
        assertThat(btf.sizeOf(u64)).isEqualTo(8);
        assertThat(btf.alignOf(u64)).isEqualTo(8);
        assertThat(btf.resolve(u64)).isInstanceOfSatisfying(BtfType.Int.class, i -> assertThat(i.name()).isEqualTo("long long unsigned int"));
        assertThat(btf.pointerSize()).isEqualTo(8);
        assertThat(btf.hasSize(btf.find(BtfKind.FWD, btf.types().stream().filter(t -> t.kind() == BtfKind.FWD).findFirst().orElseThrow().name()).orElseThrow().id())).isFalse();
    }
}
