package io.bpfmapd.typed;

import static io.bpfmapd.typed.TypedFixtures.btf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfType;
import io.bpfmapd.btf.BtfWriter;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TypedValueTest {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final long POINTER = 0xffff888000000000L;

    /** struct value with every field set (byte 51 is padding, left 0). */
    static byte[] value() {
        ByteBuffer b = ByteBuffer.allocate(TypedFixtures.VALUE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) -5);
        b.put(1, (byte) (5 | 22 << 3)); // flags:3 = 5, lvl:5 = 0b10110: -10, as C reads a signed bitfield
        b.putShort(2, (short) 65535);
        b.putInt(4, -2);
        b.putLong(8, -1L);
        b.putLong(16, Long.MIN_VALUE);
        b.put(24, (byte) 1);
        b.put(25, "hi".getBytes(StandardCharsets.US_ASCII));
        b.putInt(33, 2);
        b.putShort(37, (short) 8080);
        b.put(39, "eth0".getBytes(StandardCharsets.US_ASCII));
        b.putInt(47, 0x01020304);
        b.putInt(52, 7);
        b.putInt(56, -7);
        b.putLong(60, 0xffffffff00000000L);
        b.putInt(68, 1).putInt(72, 2).putInt(76, 3);
        b.putLong(80, POINTER);
        return b.array();
    }

    static final String VALUE_JSON = """
            {"a":-5,"flags":5,"lvl":-10,"s":65535,"i":-2,"big":"18446744073709551615","neg":"-9223372036854775808",
             "ok":true,"name":"hi","c":"GREEN","in":{"port":8080,"name":"eth0"},"u":{"i":16909060,"b":[4,3,2,1]},
             "x":7,"y":-7,"e":"HUGE","arr":[1,2,3],"p":"%s"}""".formatted(Long.toUnsignedString(POINTER));

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static JsonNode read(int typeId, byte[] bytes) {
        return TypedValue.of(btf(), typeId).toJson(MemorySegment.ofArray(bytes), 0);
    }

    @Nested
    class Reads {

        @Test
        void everyMemberKindAsBpftoolFormatsIt() {
            assertThat(read(TypedFixtures.VALUE, value())).isEqualTo(json(VALUE_JSON));
        }

        /**
         * struct { struct { int x; }; union { int y; }; }: bpftool prints both under "", a key a JSON reader
         * keeps once; inlined, as C names them, neither is lost (found by TypedBpftoolDifferentialTest).
         */
        @Test
        void twoAnonymousMembersHaveTheirFieldsInlinedAndNeitherIsLost() {
            Btf two = Btf.parse(BtfWriter.write(List.of(
                    new BtfType.Void(),
                    new BtfType.Int(1, "int", 4, BtfType.IntEncoding.SIGNED, 0, 32),
                    new BtfType.Struct(2, "", 4, false, List.of(new BtfType.Member("x", 1, 0, 0))),
                    new BtfType.Union(3, "", 4, false, List.of(new BtfType.Member("y", 1, 0, 0))),
                    new BtfType.Struct(4, "two", 8, false, List.of(
                            new BtfType.Member("", 2, 0, 0), new BtfType.Member("", 3, 32, 0)))),
                    ByteOrder.LITTLE_ENDIAN));
            TypedValue typed = TypedValue.of(two, 4);
            byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(7).putInt(-7).array();

            assertThat(typed.toJson(MemorySegment.ofArray(bytes), 0)).isEqualTo(json("{\"x\": 7, \"y\": -7}"));
            TypedPatch patch = typed.parse(json("{\"x\": 7, \"y\": -7}"));
            assertThat(patch.whole()).as("every field named inline: a whole value").isTrue();
            byte[] written = new byte[8];
            patch.applyTo(MemorySegment.ofArray(written), 0);
            assertThat(written).isEqualTo(bytes);
            assertThat(typed.parse(json("{\"y\": 1}")).whole()).isFalse();
        }

        @Test
        void aValueAtAnOffsetOfALargerSegment() {
            byte[] two = new byte[2 * TypedFixtures.VALUE_SIZE];
            System.arraycopy(value(), 0, two, TypedFixtures.VALUE_SIZE, TypedFixtures.VALUE_SIZE);
            TypedValue typed = TypedValue.of(btf(), TypedFixtures.VALUE);
            assertThat(typed.size()).isEqualTo(TypedFixtures.VALUE_SIZE);
            assertThat(typed.toJson(MemorySegment.ofArray(two), TypedFixtures.VALUE_SIZE)).isEqualTo(json(VALUE_JSON));
            assertThatThrownBy(() -> typed.toJson(MemorySegment.ofArray(two), TypedFixtures.VALUE_SIZE + 1))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }

        @Test
        void aCharArrayIsAStringOnlyWhenPrintableUpToANul() {
            assertThat(read(TypedFixtures.CHAR8, "abc\0\1\1\1\1".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(json("\"abc\""));
            assertThat(read(TypedFixtures.CHAR8, new byte[8])).isEqualTo(json("\"\""));
            // no NUL, or a byte that is not printable: an array of chars, which clang's signed char prints as numbers
            assertThat(read(TypedFixtures.CHAR8, "abcdefgh".getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(json("[97,98,99,100,101,102,103,104]"));
            assertThat(read(TypedFixtures.CHAR8, new byte[] {'a', 10, 0, 0, 0, 0, 0, (byte) 200}))
                    .isEqualTo(json("[97,10,0,0,0,0,0,-56]"));
            // bpftool does not look through a typedef of char
            assertThat(read(TypedFixtures.CHAR_TYPEDEF_ARRAY, new byte[] {'a', 'b', 0, 0})).isEqualTo(json("[97,98,0,0]"));
        }

        @Test
        void enumsByNameOrByNumber() {
            assertThat(read(TypedFixtures.COLOR, le(4, -1))).isEqualTo(json("\"RED\""));
            assertThat(read(TypedFixtures.COLOR, le(4, 7))).isEqualTo(json("7"));
            assertThat(read(TypedFixtures.COLOR, le(4, -9))).isEqualTo(json("-9"));
            assertThat(read(TypedFixtures.BIG, le(8, 0xffffffff00000000L))).isEqualTo(json("\"HUGE\""));
            assertThat(read(TypedFixtures.BIG, le(8, -2))).isEqualTo(json("\"18446744073709551614\""));
        }

        @Test
        void integersPast53BitsAreDecimalStrings() {
            assertThat(read(TypedFixtures.U64, le(8, 42))).isEqualTo(json("\"42\""));
            assertThat(read(TypedFixtures.INT, le(4, Integer.MIN_VALUE))).isEqualTo(json("-2147483648"));
            assertThat(read(TypedFixtures.PTR, le(8, 0))).isEqualTo(json("\"0\""));
        }

        @Test
        void aDatasecAsASectionOfVariables() {
            byte[] data = new byte[96];
            data[0] = 42;
            System.arraycopy(value(), 0, data, 8, TypedFixtures.VALUE_SIZE);
            assertThat(read(TypedFixtures.DATA, data))
                    .isEqualTo(json("{\".data\":[{\"counter\":42},{\"table\":" + VALUE_JSON + "}]}"));
            assertThat(read(TypedFixtures.COUNTER, le(4, -3))).isEqualTo(json("{\"counter\":-3}"));
        }

        @Test
        void aBitfieldOfBtfWithoutKindFlag() {
            // int bits:3 at bit 5: bits 5..7 of byte 0 are 0b101, the neighbours set too; signed, so -3 as C reads it
            assertThat(read(TypedFixtures.OLD, new byte[] {(byte) 0b1011_1111, -1, -1, -1})).isEqualTo(json("{\"bits\":-3}"));
        }

        @Test
        void int128AsBpftoolsHexAndFloatsAsNumbers() {
            byte[] wide = new byte[16];
            wide[0] = 1;
            wide[15] = 0x10;
            assertThat(read(TypedFixtures.INT128, wide)).isEqualTo(json("\"0x10000000000000000000000000000001\""));
            assertThat(read(TypedFixtures.FLOAT, le(8, Double.doubleToLongBits(1.5)))).isEqualTo(json("1.5"));
        }

        @Test
        void aTypeWithoutAValueIsEinval() {
            for (int id : new int[] {0, TypedFixtures.FUNC_PROTO, 999}) {
                assertThatThrownBy(() -> TypedValue.of(btf(), id))
                        .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
            }
            Btf bigEndian = Btf.parse(BtfWriter.write(TypedFixtures.types(), ByteOrder.BIG_ENDIAN));
            assertThatThrownBy(() -> TypedValue.of(bigEndian, TypedFixtures.INT)).hasMessageContaining("big-endian");
        }
    }

    @Nested
    class Writes {

        private final TypedValue value = TypedValue.of(btf(), TypedFixtures.VALUE);

        @Test
        void whatItReadsWritesTheSameBytes() {
            TypedPatch patch = value.parse(json(VALUE_JSON));
            assertThat(patch.applyTo(new byte[TypedFixtures.VALUE_SIZE])).isEqualTo(value());
            // every member given: the padding (byte 51) is set to 0 too, so an update needs no lookup
            assertThat(patch.whole()).isTrue();
            byte[] dirty = new byte[TypedFixtures.VALUE_SIZE];
            Arrays.fill(dirty, (byte) 0x55);
            assertThat(patch.applyTo(dirty)).isEqualTo(value());
        }

        @Test
        void aValueIsWholeOnlyWhenEveryMemberIsWhole() {
            // every member named, but struct inner only in part: its other bytes, and the padding, are kept
            TypedPatch patch = value.parse(json(VALUE_JSON.replace("{\"port\":8080,\"name\":\"eth0\"}", "{\"port\":8080}")));
            assertThat(patch.whole()).isFalse();
            assertThat(patch.mask()[51]).isZero();
            assertThat(patch.mask()[39]).isZero();
            // a union is whole when a member as big as it is given: i (4 bytes) is, nothing else of the value
            TypedPatch union = TypedValue.of(btf(), TypedFixtures.UNION).parse(json("{\"i\": 1}"));
            assertThat(union.whole()).isTrue();
            TypedPatch flags = value.parse(json("{\"flags\": 1}"));
            assertThat(flags.whole()).isFalse();
        }

        @Test
        void aStructNamingSomeFieldsSetsOnlyTheirBytes() {
            TypedPatch patch = value.parse(json("{\"i\": 7, \"in\": {\"port\": 1}}"));
            byte[] old = value();
            byte[] now = patch.applyTo(old);
            ByteBuffer b = ByteBuffer.wrap(now).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.getInt(4)).isEqualTo(7);
            assertThat(b.getShort(37)).isEqualTo((short) 1);
            for (int i = 0; i < old.length; i++) {
                if ((i < 4 || i > 7) && (i < 37 || i > 38)) {
                    assertThat(now[i]).as("byte %d", i).isEqualTo(old[i]);
                    assertThat(patch.mask()[i]).as("mask byte %d", i).isZero();
                }
            }
        }

        @Test
        void aBitfieldSetsOnlyItsBits() {
            TypedPatch patch = value.parse(json("{\"lvl\": -1}"));
            assertThat(patch.mask()[1]).isEqualTo((byte) 0xF8);
            byte[] now = patch.applyTo(value());
            assertThat(read(TypedFixtures.VALUE, now).get("lvl").intValue()).as("a signed bitfield reads what was written").isEqualTo(-1);
            assertThat(read(TypedFixtures.VALUE, now).get("flags").intValue()).isEqualTo(5);
            assertThatThrownBy(() -> value.parse(json("{\"flags\": 8}"))).hasMessageContaining("value.flags: 8 is out of range [0, 7]");
            assertThatThrownBy(() -> value.parse(json("{\"flags\": -1}"))).hasMessageContaining("value.flags");
        }

        @Test
        void anAnonymousMembersFieldsByTheirOwnNamesOrUnderTheEmptyName() {
            byte[] a = value.parse(json("{\"y\": 9}")).applyTo(value());
            byte[] b = value.parse(json("{\"\": {\"y\": 9}}")).applyTo(value());
            assertThat(a).isEqualTo(b);
            assertThat(ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getInt(56)).isEqualTo(9);
        }

        @Test
        void scalarsTakeTheirJsonForms() {
            byte[] now = value.parse(json("""
                    {"big": 18446744073709551615, "neg": "-1", "c": "RED", "e": 5, "ok": false, "name": "eth1",
                     "arr": [4, "5", "0x6"], "p": "0", "u": {"b": [1, 0, 0, 0]}}""")).applyTo(value());
            JsonNode back = read(TypedFixtures.VALUE, now);
            assertThat(back.get("big").stringValue()).isEqualTo("18446744073709551615");
            assertThat(back.get("neg").stringValue()).isEqualTo("-1");
            assertThat(back.get("c").stringValue()).isEqualTo("RED");
            assertThat(back.get("e").stringValue()).isEqualTo("5");
            assertThat(back.get("ok").booleanValue()).isFalse();
            assertThat(back.get("name").stringValue()).isEqualTo("eth1");
            assertThat(back.get("arr")).isEqualTo(json("[4,5,6]"));
            assertThat(back.get("u").get("i").intValue()).isEqualTo(1);
        }

        @Test
        void aStringSetsTheWholeCharArray() {
            byte[] now = value.parse(json("{\"name\": \"a\"}")).applyTo(value());
            assertThat(Arrays.copyOfRange(now, 25, 33)).isEqualTo(new byte[] {'a', 0, 0, 0, 0, 0, 0, 0});
        }

        @Test
        void aDatasecInBpftoolsShapeOrAsAnObjectOfVariables() {
            TypedValue data = TypedValue.of(btf(), TypedFixtures.DATA);
            TypedPatch a = data.parse(json("{\".data\": [{\"table\": {\"i\": 3}}, {\"counter\": 1}]}"));
            TypedPatch b = data.parse(json("{\"counter\": 1, \"table\": {\"i\": 3}}"));
            assertThat(a).usingRecursiveComparison().isEqualTo(b);
            byte[] now = a.applyTo(new byte[96]);
            assertThat(now[0]).isEqualTo((byte) 1);
            assertThat(now[12]).isEqualTo((byte) 3);
            assertThatThrownBy(() -> data.parse(json("{\"countr\": 1}")))
                    .hasMessageContaining("value.countr: unknown variable; the section .data has counter, table");
        }

        @Test
        void badInputIsEinvalNamingTheFieldPath() {
            String[][] cases = {
                    {"{\"in\": {\"nam\": \"x\"}}", "value.in.nam: unknown field; the struct inner has port, name"},
                    {"{\"arr\": [1, \"x\", 3]}", "value.arr[1]: the string \"x\" is not an integer"},
                    {"{\"arr\": [1, 2]}", "value.arr: an array of 2 elements for 3"},
                    {"{\"s\": 65536}", "value.s: 65536 is out of range [0, 65535]"},
                    {"{\"a\": 1.5}", "value.a: the number 1.5 is not an integer"},
                    {"{\"in\": {\"name\": \"12345678\"}}", "value.in.name: the string is too long: 8 bytes in a char[8]"},
                    {"{\"c\": \"BLUE\"}", "value.c: the string \"BLUE\" is not a name of this enum (RED, GREEN)"},
                    {"{\"c\": \"BEEF\"}", "value.c: the string \"BEEF\" is not a name of this enum (RED, GREEN)"},
                    {"{\"ok\": 1}", "value.ok: the number 1 is not a boolean"},
                    {"{\"i\": null}", "value.i: null is not a value"},
                    {"[1]", "value: an array is not an object (a struct value)"},
                    {"{\"u\": {\"b\": [1, 2, 3, 256]}}", "value.u.b[3]: 256 is out of range [0, 255]"},
                    {"{\"big\": -1}", "value.big: -1 is out of range [0, 18446744073709551615]"},
                    {"{\"neg\": \"9223372036854775808\"}", "value.neg: 9223372036854775808 is out of range"},
            };
            for (String[] c : cases) {
                assertThatThrownBy(() -> value.parse(json(c[0])))
                        .as(c[0])
                        .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                        .hasMessageContaining(c[1]);
            }
        }

        @Test
        void applyingThroughASegmentWritesOnlyTheMaskedBytes() {
            TypedPatch patch = value.parse(json("{\"i\": 7}"));
            // a read-only segment outside the patched bytes would fail any write to them
            MemorySegment target = MemorySegment.ofArray(value());
            patch.applyTo(target, 0);
            assertThat(target.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getInt(4)).isEqualTo(7);
            byte[] bigger = new byte[TypedFixtures.VALUE_SIZE + 8];
            patch.applyTo(MemorySegment.ofArray(bigger), 8);
            assertThat(ByteBuffer.wrap(bigger).order(ByteOrder.LITTLE_ENDIAN).getInt(12)).isEqualTo(7);
            assertThat(Arrays.copyOfRange(bigger, 0, 12)).containsOnly(0);
        }
    }

    private static byte[] le(int width, long v) {
        byte[] b = new byte[width];
        for (int i = 0; i < width; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
