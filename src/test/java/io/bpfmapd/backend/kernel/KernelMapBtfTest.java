package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.SpinLockBtf;
import io.bpfmapd.backend.kernel.sys.BtfCommands;
import io.bpfmapd.backend.kernel.sys.Fd;
import io.bpfmapd.backend.kernel.sys.MapCommands;
import io.bpfmapd.backend.kernel.sys.MapCreateAttr;
import io.bpfmapd.backend.kernel.sys.ObjCommands;
import io.bpfmapd.btf.BpftoolBtfJson;
import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfKind;
import io.bpfmapd.btf.BtfFixtures;
import io.bpfmapd.btf.BtfType;
import io.bpfmapd.testing.Bpftool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A map's BTF as the kernel gives it back (bpf_map_info's btf_id and type ids, BPF_BTF_GET_FD_BY_ID,
 * bpf_btf_info's blob), held to bpftool's {@code map show} and {@code btf dump id}.
 */
@RequiresKernel
class KernelMapBtfTest {

    private final KernelBackend backend = new KernelBackend();
    private final List<Path> pins = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        backend.close();
        for (Path pin : pins) {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void aMapWithoutBtfIsUntyped() {
        try (BpfMap map = backend.create(new MapSpec("untyped", MapType.ARRAY, 4, 8, 4, 0, false))) {
            assertThat(map.btf()).isEmpty();
        }
    }

    /** The service's own typed map: the spin-lock value, whose blob comes back byte for byte. */
    @Test
    void aSpinLockMapsBtfIsTheBlobLoadedForIt() {
        try (BpfMap map = backend.create(new MapSpec("locked", MapType.ARRAY, 4, 24, 4, 0, true))) {
            MapBtf btf = map.btf().orElseThrow();
            assertThat(btf.blob()).isEqualTo(SpinLockBtf.forValueSize(24));
            assertThat(btf.keyTypeId()).isEqualTo(SpinLockBtf.KEY_TYPE_ID);
            assertThat(btf.valueTypeId()).isEqualTo(SpinLockBtf.VALUE_TYPE_ID);
            Path pin = pin(map);
            assertSameAsBpftool(pin, btf);
            assertThat(Btf.parse(btf.blob()).sizeOf(btf.valueTypeId())).isEqualTo(24);
        }
    }

    /** A map made with BTF of every kind (BPF_BTF_LOAD, then BPF_MAP_CREATE with its fd), opened by pin. */
    @Test
    void aMapMadeWithEveryKindOfBtfGivesItBack() {
        byte[] blob = BtfFixtures.allKindsBlob();
        Path pin = PinDir.path("btf_all_kinds");
        try (Fd btfFd = BtfCommands.load(blob);
             Fd mapFd = MapCommands.create(new MapCreateAttr(MapType.ARRAY.kernelType(), 4, 32, 2, 0, "all_kinds",
                     btfFd.value(), BtfFixtures.INT, BtfFixtures.VALUE))) {
            ObjCommands.pin(mapFd.value(), pin.toString());
            pins.add(pin);
        }
        try (BpfMap map = backend.open(pin)) {
            MapBtf btf = map.btf().orElseThrow();
            assertThat(btf.blob()).isEqualTo(blob);
            assertThat(btf.keyTypeId()).isEqualTo(BtfFixtures.INT);
            assertThat(btf.valueTypeId()).isEqualTo(BtfFixtures.VALUE);
            assertThat(Btf.parse(btf.blob()).types()).isEqualTo(BtfFixtures.allKinds());
            assertSameAsBpftool(pin, btf);
        }
    }

    /**
     * Why the BTF reader never needs a base for a map's BTF: split BTF is a kernel module's (based on
     * vmlinux's), and BPF_MAP_CREATE refuses kernel BTF with EACCES (kernel/bpf/syscall.c map_create,
     * btf_is_kernel); BPF_BTF_LOAD has no base to split from. vmlinux's BTF object stands for all of it.
     */
    @Test
    void aMapCannotBeMadeWithKernelBtfSoItsBtfIsNeverSplit() throws Exception {
        byte[] vmlinux = Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux"));
        // vmlinux's BTF object is registered first, at boot: id 1.
        try (Fd btfFd = BtfCommands.fdById(1)) {
            assertThat(BtfCommands.data(btfFd.value())).as("BTF object 1 is vmlinux's").isEqualTo(vmlinux);
            int intType = Btf.parse(vmlinux).find(BtfKind.INT, "int").orElseThrow().id();
            BpfException refused = assertThrows(BpfException.class, () -> MapCommands.create(new MapCreateAttr(
                    MapType.ARRAY.kernelType(), 4, 4, 1, 0, "kernel_btf", btfFd.value(), intType, intType)).close());
            assertThat(refused.errno()).as(refused.getMessage()).isEqualTo(Errno.EACCES);
        }
    }

    private Path pin(BpfMap map) {
        Path pin = PinDir.path("btf");
        map.pin(pin);
        pins.add(pin);
        return pin;
    }

    private static void assertSameAsBpftool(Path pin, MapBtf btf) {
        JsonNode show = BpftoolBtfJson.MAPPER.readTree(Bpftool.run("-j", "map", "show", "pinned", pin.toString()));
        assertThat(show.get("btf_id").intValue()).isEqualTo(btf.btfId()).isPositive();
        JsonNode dump = BpftoolBtfJson.MAPPER.readTree(Bpftool.run("-j", "btf", "dump", "id", Integer.toString(btf.btfId()))).get("types");
        Btf parsed = Btf.parse(btf.blob());
        assertThat(dump.size()).isEqualTo(parsed.lastTypeId());
        for (JsonNode expected : dump) {
            BtfType type = parsed.type(expected.get("id").intValue());
            assertThat(BpftoolBtfJson.of(type).equals(BpftoolBtfJson.BY_VALUE, expected)).as("%s vs bpftool %s", type, expected).isTrue();
        }
    }
}
