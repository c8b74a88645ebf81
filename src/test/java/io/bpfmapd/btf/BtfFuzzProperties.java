package io.bpfmapd.btf;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Real blobs, broken: bytes flipped, the blob cut short, a length, count, id or offset overwritten with
 * an extreme value. Whatever comes out, {@link Btf#parse} reads it or throws {@link BtfFormatException},
 * nothing else, within two seconds; and what it reads keeps the model's promises (every id resolves, every
 * member lies inside its struct, every variable inside its section, and it prints as C).
 */
class BtfFuzzProperties {

    private static final int[] EXTREMES = {0, 1, 2, 4, 8, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0,
            13 << 24 | 0xffff, 4 << 24 | 0xffff, 0x84000001};

    private static byte[] vmlinuxSlice;

    @BeforeContainer
    static void cutVmlinux() throws Exception {
        if (Files.isReadable(BtfVmlinuxTest.VMLINUX)) {
            vmlinuxSlice = VmlinuxSlice.of(Btf.parse(Files.readAllBytes(BtfVmlinuxTest.VMLINUX)), VmlinuxSlice.ROOTS);
        }
    }

    @Property(tries = 2000)
    void handMadeBtfMutatedIsReadOrRefused(@ForAll("handMade") byte[] seed, @ForAll("mutations") List<Mutation> mutations) {
        readOrRefuse(mutate(seed, mutations));
    }

    @Property(tries = 500)
    void vmlinuxSliceMutatedIsReadOrRefused(@ForAll("mutations") List<Mutation> mutations) throws Exception {
        BtfVmlinuxTest.vmlinux(); // the Requirement: fails in CI, skips elsewhere without the kernel's BTF
        readOrRefuse(mutate(vmlinuxSlice, mutations));
    }

    /** The slice is a fair seed: it reads back, with the kernel's bitfields in it. */
    @Property(tries = 1)
    void theVmlinuxSliceReads() throws Exception {
        BtfVmlinuxTest.vmlinux();
        Btf btf = Btf.parse(vmlinuxSlice);
        assertThat(btf.lastTypeId()).isBetween(20, 2000);
        assertThat(btf.types()).anyMatch(t -> t instanceof BtfType.Composite c && c.members().stream().anyMatch(m -> m.bitfieldSize() > 0));
    }

    @Provide
    Arbitrary<byte[]> handMade() {
        return Arbitraries.of(BtfFixtures.allKindsBlob(), BtfWriter.write(BtfFixtures.allKinds(), ByteOrder.BIG_ENDIAN));
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(
                Arbitraries.of(Mutation.Kind.values()),
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.oneOf(Arbitraries.of(Arrays.stream(EXTREMES).boxed().toList()), Arbitraries.integers()))
                .as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    record Mutation(Kind kind, int position, int value) {
        enum Kind { FLIP_BYTE, OVERWRITE_U32, OVERWRITE_HEADER_FIELD, TRUNCATE }
    }

    static byte[] mutate(byte[] seed, List<Mutation> mutations) {
        byte[] blob = seed.clone();
        for (Mutation m : mutations) {
            if (blob.length < 8) {
                break;
            }
            switch (m.kind()) {
                case FLIP_BYTE -> blob[m.position() % blob.length] ^= (byte) (m.value() | 1);
                case OVERWRITE_U32 -> put(blob, (m.position() % (blob.length / 4)) * 4, m.value());
                case OVERWRITE_HEADER_FIELD -> put(blob, 4 + (m.position() % 5) * 4, m.value());
                case TRUNCATE -> blob = Arrays.copyOf(blob, m.position() % blob.length);
            }
        }
        return blob;
    }

    private static void put(byte[] blob, int at, int value) {
        if (at + 4 <= blob.length) {
            ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        }
    }

    private static void readOrRefuse(byte[] blob) {
        String outcome = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            Btf btf;
            try {
                btf = Btf.parse(blob);
            } catch (BtfFormatException e) {
                assertThat(e.offset()).isBetween(0L, (long) blob.length);
                return "refused";
            }
            keepsItsPromises(btf);
            printsAsCOrRefuses(btf);
            return "read";
        });
        Statistics.collect(outcome);
    }

    /** What reads also prints as C, or is refused as C cannot declare it; never another exception. */
    private static void printsAsCOrRefuses(Btf btf) {
        int[] all = java.util.stream.IntStream.rangeClosed(1, btf.lastTypeId()).toArray();
        try {
            assertThat(BtfCFormat.format(btf, all)).startsWith("#ifndef __VMLINUX_H__");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).containsAnyOf("cycle", "deeper", "exceed");
        }
    }

    private static void keepsItsPromises(Btf btf) {
        for (BtfType t : btf.types()) {
            BtfType resolved = btf.resolve(t.id());
            assertThat(resolved).isNotInstanceOf(BtfType.Alias.class);
            if (!btf.hasSize(t.id())) {
                continue;
            }
            long size = btf.sizeOf(t.id());
            assertThat(size).isBetween(0L, 0xffffffffL);
            assertThat(btf.alignOf(t.id())).isPositive();
            if (t instanceof BtfType.Composite c) {
                for (BtfType.Member m : c.members()) {
                    long bits = m.bitfieldSize() > 0 ? m.bitfieldSize()
                            : !c.kindFlag() && btf.resolve(m.type()) instanceof BtfType.Int i ? i.bitOffset() + i.bits()
                            : 8 * btf.sizeOf(m.type());
                    assertThat(m.bitOffset() + bits).as("member %s of %s", m, t).isLessThanOrEqualTo(8 * size);
                }
            }
            if (t instanceof BtfType.Datasec d) {
                for (BtfType.VarSecinfo v : d.vars()) {
                    assertThat(btf.type(v.type())).isInstanceOf(BtfType.Var.class);
                    assertThat(v.offset() + v.size()).isLessThanOrEqualTo(size);
                }
            }
        }
    }
}
