package io.bpfmapd.btf;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.bpfmapd.btf.BtfFixtures.allKinds;
import static io.bpfmapd.btf.BtfFixtures.allKindsBlob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class BtfReaderTest {

    private static final int TYPES = 24; // the type section starts after the 24-byte header

    @Test
    void readsBackEveryKindItWrote() {
        Btf btf = Btf.parse(allKindsBlob());
        assertThat(btf.types()).isEqualTo(allKinds());
        assertThat(btf.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void readsBigEndianBtf() {
        Btf btf = Btf.parse(BtfWriter.write(allKinds(), ByteOrder.BIG_ENDIAN));
        assertThat(btf.types()).isEqualTo(allKinds());
        assertThat(btf.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
    }

    @Test
    void resolvesSizesAndAlignmentsThroughTypedefsAndQualifiers() {
        Btf btf = Btf.parse(allKindsBlob());
        assertThat(btf.resolve(BtfFixtures.VOLATILE_CONST_U8)).isEqualTo(btf.type(2));
        assertThat(btf.sizeOf(BtfFixtures.VOLATILE_CONST_U8)).isEqualTo(1);
        assertThat(btf.sizeOf(BtfFixtures.TYPE_TAG)).isEqualTo(4);
        assertThat(btf.sizeOf(BtfFixtures.CHAR_ARRAY)).isEqualTo(16);
        assertThat(btf.alignOf(BtfFixtures.CHAR_ARRAY)).isEqualTo(1);
        assertThat(btf.sizeOf(BtfFixtures.VALUE)).isEqualTo(32);
        assertThat(btf.alignOf(BtfFixtures.VALUE)).isEqualTo(8);
        assertThat(btf.alignOf(BtfFixtures.UNION)).isEqualTo(8);
        assertThat(btf.sizeOf(BtfFixtures.PACKED)).isEqualTo(5);
        assertThat(btf.alignOf(BtfFixtures.PACKED)).as("a member off its alignment: packed").isEqualTo(1);
        assertThat(btf.sizeOf(BtfFixtures.DATASEC)).isEqualTo(48);
        assertThat(btf.alignOf(BtfFixtures.DATASEC)).isEqualTo(8);
        assertThat(btf.sizeOf(20)).as("a VAR's size is its type's").isEqualTo(32);
        assertThat(btf.pointerSize()).isEqualTo(8);
        for (int unsized : new int[]{0, BtfFixtures.FWD, BtfFixtures.PROTO, BtfFixtures.FUNC, 23}) {
            assertThat(btf.hasSize(unsized)).as("type %d", unsized).isFalse();
            assertThatThrownBy(() -> btf.sizeOf(unsized)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> btf.type(28)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last is 27");
    }

    @Test
    void honoursALongerHeaderAndSkipsWhatItDoesNotKnow() {
        byte[] plain = allKindsBlob();
        ByteBuffer longer = ByteBuffer.allocate(plain.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        longer.put(plain, 0, TYPES).putLong(0x1122334455667788L).put(plain, TYPES, plain.length - TYPES);
        longer.putInt(4, TYPES + 8);
        assertThat(Btf.parse(longer.array()).types()).isEqualTo(allKinds());
    }

    @Test
    void aLongChainOfTypedefsTakesNoStack() {
        List<BtfType> types = new ArrayList<>(List.of(new BtfType.Void(), new BtfType.Int(1, "int", 4, BtfType.IntEncoding.SIGNED, 0, 32)));
        for (int id = 2; id <= 200_000; id++) {
            types.add(new BtfType.Typedef(id, "t", id + 1 <= 200_000 ? id + 1 : 1)); // each names the next, the last int
        }
        Btf btf = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Btf.parse(BtfWriter.write(types, ByteOrder.LITTLE_ENDIAN)));
        assertThat(btf.sizeOf(2)).isEqualTo(4);
        assertThat(btf.resolve(2)).isEqualTo(types.get(1));
    }

    @Test
    void refusesTypesThatArePartOfThemselves() {
        assertMalformed(List.of(new BtfType.Void(), new BtfType.Typedef(1, "a", 2), new BtfType.Const(2, 1)), "part of itself");
        assertMalformed(List.of(new BtfType.Void(), new BtfType.Struct(2 - 1, "s", 4, false, List.of(new BtfType.Member("s", 1, 0, 0)))),
                "part of itself");
        assertMalformed(List.of(new BtfType.Void(), new BtfType.Array(1, 1, 1, 4)), "part of itself");
    }

    @Test
    void aCycleThroughAPointerIsFine() {
        Btf btf = Btf.parse(BtfWriter.write(List.of(new BtfType.Void(),
                new BtfType.Struct(1, "list_head", 16, false, List.of(new BtfType.Member("next", 2, 0, 0), new BtfType.Member("prev", 2, 64, 0))),
                new BtfType.Ptr(2, 1)), ByteOrder.LITTLE_ENDIAN));
        assertThat(btf.sizeOf(1)).isEqualTo(16);
    }

    @Test
    void refusesWhatTheKernelRefuses() {
        BtfType.Int int4 = new BtfType.Int(1, "int", 4, BtfType.IntEncoding.SIGNED, 0, 32);
        assertMalformed(List.of(new BtfType.Void(), new BtfType.Ptr(1, 9)), "refers to type id 9, the last is 1");
        assertMalformed(List.of(new BtfType.Void(), new BtfType.Int(1, "long", 8, BtfType.IntEncoding.NONE, 0, 64),
                new BtfType.Array(2, 1, 1, 0xffffffffL)), "overflows u32");
        assertMalformed(List.of(new BtfType.Void(), int4,
                new BtfType.Struct(2, "s", 2, false, List.of(new BtfType.Member("x", 1, 0, 0)))), "exceeds the 2-byte STRUCT");
        assertMalformed(List.of(new BtfType.Void(), int4,
                new BtfType.Struct(2, "s", 8, false, List.of(new BtfType.Member("x", 2 + 1, 4, 0))), new BtfType.Ptr(3, 1)),
                "not byte aligned");
        assertMalformed(List.of(new BtfType.Void(), int4,
                new BtfType.Struct(2, "s", 4, true, List.of(new BtfType.Member("x", 1, 0, 33)))), "does not fit");
        assertMalformed(List.of(new BtfType.Void(), new BtfType.Fwd(1, "f", false),
                new BtfType.Struct(2, "s", 4, false, List.of(new BtfType.Member("x", 1, 0, 0)))), "has no size");
        assertMalformed(List.of(new BtfType.Void(), int4, new BtfType.Func(2, "f", 1, BtfType.Linkage.STATIC)), "not a FUNC_PROTO");
        assertMalformed(List.of(new BtfType.Void(), int4, new BtfType.Datasec(2, ".data", 4, List.of(new BtfType.VarSecinfo(1, 0, 4)))),
                "not a VAR");
        assertMalformed(List.of(new BtfType.Void(), int4, new BtfType.Var(2, "v", 1, BtfType.Linkage.GLOBAL),
                new BtfType.Datasec(3, ".data", 6, List.of(new BtfType.VarSecinfo(2, 4, 4)))), "outside the section");
        assertMalformed(List.of(new BtfType.Void(), new BtfType.Int(1, "int", 3, BtfType.IntEncoding.NONE, 0, 24)), "not 1, 2, 4, 8 or 16");
        assertMalformed(List.of(new BtfType.Void(), int4, new BtfType.DeclTag(2, "t", 1, 0, false)), "component 0 of INT");
    }

    @Test
    void refusesABrokenHeaderWithItsOffset() {
        assertMalformedAt(patch(allKindsBlob(), 0, (short) 0x1234), 0, "magic");
        assertMalformedAt(withByte(allKindsBlob(), 2, 2), 2, "version 2");
        assertMalformedAt(withByte(allKindsBlob(), 3, 1), 3, "flags");
        assertMalformedAt(withInt(allKindsBlob(), 4, 8), 4, "hdr_len 8");
        assertMalformedAt(withInt(allKindsBlob(), 4, Integer.MAX_VALUE), 4, "beyond the blob");
        assertMalformedAt(withInt(allKindsBlob(), 12, -1), 8, "type section");
        assertMalformedAt(withInt(allKindsBlob(), 16, -4), 16, "string section");
        assertMalformedAt(new byte[]{(byte) 0x9f, (byte) 0xeb, 1}, 0, "at least 8 bytes");
    }

    @Test
    void refusesBrokenTypesWithTheirOffset() {
        byte[] blob = allKindsBlob();
        assertMalformedAt(withInt(blob, TYPES + 4, 20 << 24), TYPES + 4, "kind 20");
        assertMalformedAt(withInt(blob, TYPES + 4, 0), TYPES + 4, "kind 0");
        assertMalformedAt(withInt(blob, TYPES, 1 << 30), blob.length - stringSection(blob), "name offset");
        // the first type, the int, claims 65535 members as a struct: they cannot fit the section
        assertThatThrownBy(() -> Btf.parse(withInt(blob, TYPES + 4, 4 << 24 | 0xffff)))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("members need 786420 bytes");
        byte[] noNul = blob.clone();
        noNul[noNul.length - 1] = 'x';
        assertMalformedAt(noNul, blob.length - stringSection(blob), "end with a NUL");
        // the type section cut in the middle of the last type: its length shortened by 4
        byte[] cut = withInt(blob, 12, ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).getInt(12) - 4);
        assertThatThrownBy(() -> Btf.parse(cut)).isInstanceOf(BtfFormatException.class).hasMessageContaining("left");
    }

    /** Names at many offsets inside one long string would decode to far more than the blob: refused, not decoded. */
    @Test
    void namesCannotDecodeToMuchMoreThanTheStringSection() {
        int strLen = 1 << 18;
        int types = 20_000;
        ByteBuffer b = ByteBuffer.allocate(TYPES + types * 12 + strLen).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(TYPES).putInt(0).putInt(types * 12).putInt(types * 12).putInt(strLen);
        for (int i = 0; i < types; i++) {
            b.putInt(1 + i).putInt(7 << 24).putInt(0); // FWD named by a suffix of the long string
        }
        byte[] s = new byte[strLen];
        Arrays.fill(s, 1, strLen - 1, (byte) 'a');
        b.put(s);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> Btf.parse(b.array())).isInstanceOf(BtfFormatException.class).hasMessageContaining("names decode"));
    }

    private static int stringSection(byte[] blob) {
        return ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).getInt(20);
    }

    private static void assertMalformed(List<BtfType> types, String message) {
        byte[] blob = BtfWriter.write(types, ByteOrder.LITTLE_ENDIAN);
        assertThatThrownBy(() -> Btf.parse(blob)).isInstanceOf(BtfFormatException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((BtfFormatException) e).offset()).isBetween(0L, (long) blob.length));
    }

    private static void assertMalformedAt(byte[] blob, long offset, String message) {
        assertThatThrownBy(() -> Btf.parse(blob)).isInstanceOf(BtfFormatException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((BtfFormatException) e).offset()).isEqualTo(offset));
    }

    private static byte[] withInt(byte[] blob, int at, int value) {
        byte[] copy = blob.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return copy;
    }

    private static byte[] withByte(byte[] blob, int at, int value) {
        byte[] copy = blob.clone();
        copy[at] = (byte) value;
        return copy;
    }

    private static byte[] patch(byte[] blob, int at, short value) {
        byte[] copy = blob.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putShort(at, value);
        return copy;
    }
}
