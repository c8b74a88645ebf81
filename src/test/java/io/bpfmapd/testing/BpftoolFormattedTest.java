package io.bpfmapd.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfType;
import io.bpfmapd.btf.BtfType.EnumValue;
import io.bpfmapd.btf.BtfType.IntEncoding;
import io.bpfmapd.btf.BtfType.Member;
import io.bpfmapd.btf.BtfWriter;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The differential's one translation of bpftool's printing, on a value as bpftool 7.1 prints it (the
 * text below is its output's shape for this BTF, as btf_dumper.c writes it): only the number printing
 * changes, the anonymous members' duplicate "" keys are inlined and the 1-byte enum bpftool misreads is
 * read again.
 */
class BpftoolFormattedTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    // struct v { __u64 big; __s64 neg; int bf:3; unsigned ubf:5; struct { __u16 x; }; union { __u8 y; };
    //            enum __attribute__((packed)) level lvl; enum color col; char s[4]; char n[2]; void *p;
    //            __u64 wide:56; }
    private static final Btf BTF = Btf.parse(BtfWriter.write(List.of(
            new BtfType.Void(),
            new BtfType.Int(1, "unsigned long long", 8, IntEncoding.NONE, 0, 64),
            new BtfType.Int(2, "long long", 8, IntEncoding.SIGNED, 0, 64),
            new BtfType.Int(3, "int", 4, IntEncoding.SIGNED, 0, 32),
            new BtfType.Int(4, "unsigned int", 4, IntEncoding.NONE, 0, 32),
            new BtfType.Int(5, "unsigned short", 2, IntEncoding.NONE, 0, 16),
            new BtfType.Struct(6, "", 2, false, List.of(new Member("x", 5, 0, 0))),
            new BtfType.Int(7, "unsigned char", 1, IntEncoding.NONE, 0, 8),
            new BtfType.Union(8, "", 1, false, List.of(new Member("y", 7, 0, 0))),
            new BtfType.Enum(9, "level", 1, false, List.of(new EnumValue("LOW", 0), new EnumValue("HIGH", 200))),
            new BtfType.Enum(10, "color", 4, false, List.of(new EnumValue("BLUE", -1))),
            new BtfType.Int(11, "char", 1, IntEncoding.SIGNED, 0, 8),
            new BtfType.Array(12, 11, 4, 4),
            new BtfType.Array(13, 11, 4, 2),
            new BtfType.Ptr(14, 0),
            new BtfType.Struct(15, "v", 56, true, List.of(
                    new Member("big", 1, 0, 0), new Member("neg", 2, 64, 0),
                    new Member("bf", 3, 128, 3), new Member("ubf", 4, 131, 5),
                    new Member("", 6, 160, 0), new Member("", 8, 176, 0),
                    new Member("lvl", 9, 184, 0), new Member("col", 10, 192, 0),
                    new Member("s", 12, 224, 0), new Member("n", 13, 256, 0), new Member("p", 14, 320, 0),
                    new Member("wide", 1, 384, 56)))),
            ByteOrder.LITTLE_ENDIAN));

    private static final String PRINTED = """
            {"big":18446744073709551615,"neg":-9000000000000000000,"bf":"0x5","ubf":"0x1f",
             "":{"x":7},"":{"y":200},"lvl":-56,"col":-2,"s":"ab","n":[-1,120],"p":18446612682702848000,
             "wide":"0x80000000000000"}""";

    @Test
    void onlyTheNumberPrintingChangesAndBpftoolsMistakesArePutRight() {
        JsonNode contract = BpftoolFormatted.contract(BTF, 15, BpftoolFormatted.parse(PRINTED));

        assertThat(BpftoolFormatted.canonical(contract)).isEqualTo(BpftoolFormatted.canonical(JSON.readTree("""
                {"big":"18446744073709551615","neg":"-9000000000000000000","bf":-3,"ubf":31,
                 "x":7,"y":200,"lvl":"HIGH","col":4294967294,"s":"ab","n":[-1,120],"p":"18446612682702848000",
                 "wide":"36028797018963968"}""")));
    }

    @Test
    void anEnumValueWithNoNameStaysANumber() {
        JsonNode contract = BpftoolFormatted.contract(BTF, 9, JSON.readTree("7"));

        assertThat(contract.intValue()).isEqualTo(7);
    }

    @Test
    void aMemberBpftoolDidNotPrintIsAFailureOfTheReference() {
        assertThatThrownBy(() -> BpftoolFormatted.contract(BTF, 15, BpftoolFormatted.parse("{\"big\": 1}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("neg");
    }

    @Test
    void aNamedMemberPrintedTwiceIsAFailureOfTheReference() {
        assertThatThrownBy(() -> BpftoolFormatted.parse("{\"a\": 1, \"a\": 2}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("twice");
    }
}
