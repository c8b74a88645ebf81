package io.bpfmapd.btf;

import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.SpinLockBtf;
import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.backend.kernel.sys.BtfCommands;
import io.bpfmapd.backend.kernel.sys.Fd;
import io.bpfmapd.backend.kernel.sys.MapCommands;
import io.bpfmapd.backend.kernel.sys.MapCreateAttr;
import io.bpfmapd.backend.kernel.sys.ObjCommands;
import io.bpfmapd.testing.Bpftool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The C of {@link BtfCFormat} against bpftool's, the reference: a kernel map is made with some BTF as its
 * value type, and {@code bpftool btf dump map pinned P format c} must print exactly what the formatter
 * prints for the map's key and value types. The BTF: the service's spin-lock value, the hand-made BTF of
 * every kind, and slices of the kernel's own BTF (unions, anonymous members, bitfields, typedefs, enums).
 */
@RequiresKernel
class BtfCFormatTest {

    private static Btf vmlinux;

    @Test
    void theSpinLockValue() throws Exception {
        assertSameAsBpftool(SpinLockBtf.forValueSize(24), SpinLockBtf.KEY_TYPE_ID, SpinLockBtf.VALUE_TYPE_ID, 24);
    }

    @Test
    void everyKind() throws Exception {
        assertSameAsBpftool(BtfFixtures.allKindsBlob(), BtfFixtures.INT, BtfFixtures.VALUE, 32);
    }

    @ParameterizedTest
    @ValueSource(strings = {"iphdr", "tcphdr", "ethhdr", "in6_addr", "bpf_attr", "bpf_map_info", "bpf_sock_tuple",
            "__sk_buff", "bpf_fib_lookup", "perf_event_attr", "bpf_map_type", "bpf_timer", "bpf_spin_lock", "xdp_md"})
    void aSliceOfTheKernelsBtf(String root) throws Exception {
        if (vmlinux == null) {
            vmlinux = Btf.parse(BtfVmlinuxTest.vmlinux());
        }
        List<BtfType> types = new ArrayList<>(VmlinuxSlice.types(vmlinux, List.of(root)));
        assertThat(types).as("%s is in the kernel's BTF", root).hasSizeGreaterThan(1);
        int key = types.size();
        types.add(new BtfType.Int(key, "unsigned int", 4, BtfType.IntEncoding.NONE, 0, 32));
        byte[] blob = BtfWriter.write(types, ByteOrder.LITTLE_ENDIAN);
        assertSameAsBpftool(blob, key, 1, Math.toIntExact(Btf.parse(blob).sizeOf(1)));
    }

    private static void assertSameAsBpftool(byte[] blob, int keyTypeId, int valueTypeId, int valueSize) throws Exception {
        Path pin = PinDir.path("btf_c");
        try (Fd btf = BtfCommands.load(blob);
             Fd map = MapCommands.create(new MapCreateAttr(MapType.ARRAY.kernelType(), 4, valueSize, 1, 0, "btf_c",
                     btf.value(), keyTypeId, valueTypeId))) {
            ObjCommands.pin(map.value(), pin.toString());
        }
        try {
            String expected = Bpftool.run("btf", "dump", "map", "pinned", pin.toString(), "format", "c");
            assertThat(BtfCFormat.format(Btf.parse(blob), keyTypeId, valueTypeId)).isEqualTo(expected);
        } finally {
            Files.deleteIfExists(pin);
        }
    }
}
