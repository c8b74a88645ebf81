package io.bpfmapd.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every {@link ValueFormat} goes through the one codec both ways, and holds the number rule. */
class ValueCodecTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** typed has no bytes of its own: a map's TypedValues reads and writes it (ValueTypeTest). */
    @ParameterizedTest
    @EnumSource(value = ValueFormat.class, names = "TYPED", mode = EnumSource.Mode.EXCLUDE)
    void everyFormatRoundTripsThroughItsJson(ValueFormat format) {
        byte[] bytes = new byte[16];
        new Random(format.ordinal()).nextBytes(bytes);
        bytes[format.width() - 1] = (byte) 0xFF; // the top bit of the first element: sign and u64 > Long.MAX_VALUE

        JsonNode field = JSON.readTree(JSON.writeValueAsString(new ValueResponse(0, ValueCodec.encode(bytes, format,
                "test")))).get(format.field());

        assertThat(field).as("%s is written under its field", format).isNotNull();
        assertThat(field.isString()).isEqualTo(format.kind() == ValueFormat.Kind.STRING);
        if (format.decimalStrings()) {
            assertThat(field.get(0).isString()).as("%s elements are decimal strings", format).isTrue();
        }
        assertThat(ValueCodec.decode(Map.of(format.field(), field), "test")).isEqualTo(bytes);
    }

    @ParameterizedTest
    @EnumSource(value = ValueFormat.class, names = {"HEX", "BASE64", "TYPED"}, mode = EnumSource.Mode.EXCLUDE)
    void anElementIsAJsonIntegerInTheFormatsRange(ValueFormat format) {
        java.util.List<String> refused = new java.util.ArrayList<>(java.util.List.of("[1.5]", "[-1.5]", "[1e-5]", "[1.0]",
                "[\" 12\"]", "[\"+1\"]", "[\"1.0\"]", "[\"0x1\"]", "[\"\"]", "[true]", "[null]", "1", "\"00\"",
                "[" + format.max().add(java.math.BigInteger.ONE) + "]",
                "[" + format.min().subtract(java.math.BigInteger.ONE) + "]",
                "[\"" + format.max().add(java.math.BigInteger.ONE) + "\"]"));
        if (!format.decimalStrings()) {
            refused.add("[\"1\"]");
        }
        for (String bad : refused) {
            assertThatThrownBy(() -> ValueCodec.decode(Map.of(format.field(), JSON.readTree(bad)), "test"))
                    .as("%s: %s", format, bad)
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        }
        assertThat(ValueCodec.decode(Map.of(format.field(), JSON.readTree("[" + format.max() + ", " + format.min()
                + "]")), "test")).hasSize(2 * format.width());
        if (format.decimalStrings()) {
            assertThat(ValueCodec.decode(Map.of(format.field(), JSON.readTree("[\"" + format.max() + "\", \""
                    + format.min() + "\"]")), "test")).as("decimal strings").isEqualTo(ValueCodec.decode(
                    Map.of(format.field(), JSON.readTree("[" + format.max() + ", " + format.min() + "]")), "test"));
        }
    }

    /** A field that is JSON null is not given (a generated client may send its unset fields as null). */
    @org.junit.jupiter.api.Test
    void aNullFieldIsNotGivenAndAnEmptyArrayIsAValueOfNoBytes() {
        assertThat(ValueCodec.decode(Map.of("hex", JSON.readTree("\"2a\""), "u64", JSON.readTree("null"),
                "u8", JSON.readTree("null")), "test")).containsExactly(0x2a);
        assertThat(ValueCodec.decode(Map.of("u64", JSON.readTree("[]")), "test")).isEmpty();
        assertThatThrownBy(() -> ValueCodec.decode(Map.of("hex", JSON.readTree("\"2a\""), "u64", JSON.readTree("[]")),
                "test")).isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }

    @ParameterizedTest
    @EnumSource(value = ValueFormat.class, names = {"HEX", "BASE64"})
    void aStringFormatTakesOnlyAString(ValueFormat format) {
        assertThatThrownBy(() -> ValueCodec.decode(Map.of(format.field(), JSON.readTree("12")), "test"))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }

    @org.junit.jupiter.api.Test
    void aBodyGivesExactlyOneKnownField() {
        JsonNode hex = JSON.readTree("\"00\"");
        for (Map<String, JsonNode> fields : java.util.List.<Map<String, JsonNode>>of(Map.of(), Map.of("u46", hex),
                Map.of("hex", hex, "base64", JSON.readTree("\"AA==\"")))) {
            assertThatThrownBy(() -> ValueCodec.decode(fields, "test")).as("%s", fields)
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        }
    }
}
