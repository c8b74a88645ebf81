package io.bpfmapd.variables;

import io.bpfmapd.btf.BtfType;
import io.bpfmapd.btf.BtfType.IntEncoding;
import io.bpfmapd.btf.BtfType.Linkage;
import io.bpfmapd.btf.BtfWriter;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The BTF clang writes for a section like this one (libbpf's {@code .data.custom} map, 32 bytes):
 * <pre>
 * struct flags { unsigned int on: 1; unsigned int level: 3; };
 * int counter SEC(".data.custom") = 0;          // offset 0
 * char comm[16] SEC(".data.custom") = {};       // offset 4
 * struct flags knobs SEC(".data.custom") = {};  // offset 20
 * static long long total SEC(".data.custom");   // offset 24
 * </pre>
 */
final class SectionBtf {

    static final String NAME = ".data.custom";
    static final int SIZE = 32;
    static final int DATASEC = 11;
    static final int STRUCT = 5;

    static byte[] blob() {
        List<BtfType> types = List.of(
                new BtfType.Void(),
                new BtfType.Int(1, "int", 4, IntEncoding.SIGNED, 0, 32),
                new BtfType.Int(2, "char", 1, IntEncoding.SIGNED, 0, 8),
                new BtfType.Array(3, 2, 4, 16),
                new BtfType.Int(4, "__ARRAY_SIZE_TYPE__", 4, IntEncoding.NONE, 0, 32),
                new BtfType.Struct(5, "flags", 4, true, List.of(
                        new BtfType.Member("on", 6, 0, 1),
                        new BtfType.Member("level", 6, 1, 3))),
                new BtfType.Int(6, "unsigned int", 4, IntEncoding.NONE, 0, 32),
                new BtfType.Var(7, "counter", 1, Linkage.GLOBAL),
                new BtfType.Var(8, "comm", 3, Linkage.GLOBAL),
                new BtfType.Var(9, "knobs", 5, Linkage.GLOBAL),
                new BtfType.Int(10, "long long", 8, IntEncoding.SIGNED, 0, 64),
                new BtfType.Datasec(11, NAME, SIZE, List.of(
                        new BtfType.VarSecinfo(7, 0, 4),
                        new BtfType.VarSecinfo(8, 4, 16),
                        new BtfType.VarSecinfo(9, 20, 4),
                        new BtfType.VarSecinfo(12, 24, 8))),
                new BtfType.Var(12, "total", 10, Linkage.STATIC));
        return BtfWriter.write(types, ByteOrder.nativeOrder());
    }

    private SectionBtf() {
    }
}
