package io.bpfmapd.btf;

import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** What C cannot print, or would print without end, is refused at once instead. */
class BtfCFormatLimitsTest {

    private static final BtfType.Int INT = new BtfType.Int(1, "int", 4, BtfType.IntEncoding.SIGNED, 0, 32);

    /** Found by BtfFuzzProperties: a 2 GiB struct padded with a quarter billion {@code long: 64;} lines. */
    @Test
    void aHugeStructIsRefusedNotPaddedLineByLine() {
        Btf btf = Btf.parse(BtfWriter.write(List.of(new BtfType.Void(), INT,
                new BtfType.Struct(2, "huge", 0x7fffffffL, false, List.of(new BtfType.Member("x", 1, 0, 0)))), ByteOrder.LITTLE_ENDIAN));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> BtfCFormat.format(btf, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceed"));
    }

    /** Anonymous unions are written wherever they are used: 40 levels of two uses each would be 2^40 copies. */
    @Test
    void nestedAnonymousUnionsCannotMultiplyWithoutEnd() {
        List<BtfType> types = new ArrayList<>(List.of(new BtfType.Void(), INT));
        for (int id = 2; id <= 41; id++) {
            types.add(new BtfType.Union(id, id == 41 ? "top" : "", 4, false,
                    List.of(new BtfType.Member("a", id - 1, 0, 0), new BtfType.Member("b", id - 1, 0, 0))));
        }
        Btf btf = Btf.parse(BtfWriter.write(types, ByteOrder.LITTLE_ENDIAN));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> BtfCFormat.format(btf, 41))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceed"));
    }

    /** An anonymous struct that points to itself has no C declaration (libbpf: unsatisfiable type cycle). */
    @Test
    void anAnonymousSelfReferenceIsRefused() {
        Btf btf = Btf.parse(BtfWriter.write(List.of(new BtfType.Void(),
                new BtfType.Struct(1, "", 8, false, List.of(new BtfType.Member("next", 2, 0, 0))), new BtfType.Ptr(2, 1),
                new BtfType.Typedef(3, "node_t", 1)), ByteOrder.LITTLE_ENDIAN));
        assertThatThrownBy(() -> BtfCFormat.format(btf, 3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cycle");
    }

    @Test
    void printsAnOrdinaryStruct() {
        Btf btf = Btf.parse(BtfFixtures.allKindsBlob());
        assertThat(BtfCFormat.format(btf, BtfFixtures.VALUE)).contains("struct value {\n\tint a;\n\tint flags: 3;\n\tint more: 5;\n\tlong: 0;\n"
                + "\tchar name[16];\n\tint *p;\n};\n");
    }
}
