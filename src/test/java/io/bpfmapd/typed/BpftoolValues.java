package io.bpfmapd.typed;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import tools.jackson.databind.JsonNode;

/**
 * bpftool's {@code formatted} JSON (tools/bpf/bpftool/btf_dumper.c) against the typed JSON of the same
 * bytes, equal but for how numbers are printed: bpftool prints a 64-bit integer as a JSON number where
 * the API prints a decimal string, and a bitfield as a hex string ({@code "0x1f"}) where the API prints a
 * number; and an enum's number, which bpftool always prints signed (btf_dumper_enum: jsonw_int of the
 * sign-extended value) where the API follows the enum's signedness (kind_flag) as the kernel's btf_show
 * does: an unsigned 8-byte enum's 2^64 − 2^32 is bpftool's −4294967296. Integers are therefore compared
 * modulo 2^64. Nothing else is normalised.
 */
public final class BpftoolValues {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private BpftoolValues() {
    }

    public static void assertSameValue(JsonNode ours, JsonNode bpftool, String path) {
        if (ours.isString() && ours.stringValue().matches("-?[0-9]+") && bpftool.isIntegralNumber()) {
            assertThat(new BigInteger(ours.stringValue()).mod(TWO_64)).as(path + ": " + ours + " against bpftool's " + bpftool)
                    .isEqualTo(bpftool.bigIntegerValue().mod(TWO_64));
        } else if (ours.isIntegralNumber() && bpftool.isString() && bpftool.stringValue().startsWith("0x")) {
            assertThat(ours.bigIntegerValue()).as(path).isEqualTo(new BigInteger(bpftool.stringValue().substring(2), 16));
        } else if (ours.isObject()) {
            assertThat(bpftool.isObject()).as(path + " of bpftool " + bpftool).isTrue();
            assertThat(bpftool.propertyNames()).as(path).containsExactlyElementsOf(ours.propertyNames());
            ours.properties().forEach(e -> assertSameValue(e.getValue(), bpftool.get(e.getKey()), path + "." + e.getKey()));
        } else if (ours.isArray()) {
            assertThat(bpftool.size()).as(path + " of bpftool " + bpftool).isEqualTo(ours.size());
            for (int i = 0; i < ours.size(); i++) {
                assertSameValue(ours.get(i), bpftool.get(i), path + "[" + i + "]");
            }
        } else {
            assertThat(ours).as(path).isEqualTo(bpftool);
        }
    }
}
