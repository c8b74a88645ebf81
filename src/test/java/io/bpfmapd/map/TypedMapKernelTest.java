package io.bpfmapd.map;

import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.backend.kernel.KernelBackend;
import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.map.ValueType.ValueTypeField;
import io.bpfmapd.testing.Bpftool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.bpfmapd.map.ValueTypeKind.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A map created with a value type, on the kernel: bpftool, the reference, pretty-prints its values by
 * field name from the BTF the service loaded, and the kernel's BTF of it is the service's blob byte for
 * byte; its special fields refuse mmap and freeze with ENOTSUPP, on both backends.
 */
@RequiresKernel
class TypedMapKernelTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dataDir;

    private final KernelBackend kernel = new KernelBackend();
    private Path pin;

    @AfterEach
    void cleanUp() throws Exception {
        kernel.close();
        if (pin != null) {
            Files.deleteIfExists(pin);
        }
    }

    static ValueType flow() {
        return ValueType.struct("flow", List.of(
                new ValueTypeField("packets", ValueType.of(U64)),
                new ValueTypeField("comm", new ValueType(CHAR, null, 16, null, null, null, null)),
                new ValueTypeField("proto", new ValueType(ENUM, "proto", null, null, null,
                        List.of(new ValueType.ValueTypeEnumerator("TCP", 6L), new ValueType.ValueTypeEnumerator("UDP", 17L)), null)),
                new ValueTypeField("port", ValueType.of(U16))));
    }

    @Test
    void bpftoolPrintsTheValuesByFieldName() throws Exception {
        ValueTypeBtf.Built built = ValueTypeBtf.build(flow());
        assertThat(built.size()).isEqualTo(32);
        try (BpfMap map = kernel.create(new MapSpec("flows", MapType.ARRAY, 4, 32, 2, 0, false, built.btf()))) {
            ByteBuffer value = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
            value.putLong(0, 7).put(8, "curl".getBytes(StandardCharsets.US_ASCII)).putInt(24, 17).putShort(28, (short) 443);
            map.update(1, value.array(), UpdateFlag.ANY);
            pin = PinDir.path("typed");
            map.pin(pin);

            JsonNode dump = JSON.readTree(Bpftool.run("-j", "map", "dump", "pinned", pin.toString()));
            JsonNode formatted = dump.get(1).get("formatted");
            assertThat(formatted.get("key").asLong()).isEqualTo(1);
            JsonNode v = formatted.get("value");
            assertThat(v.get("packets").asLong()).isEqualTo(7);
            assertThat(v.get("comm").asString()).isEqualTo("curl");
            assertThat(v.get("proto").asString()).isEqualTo("UDP");
            assertThat(v.get("port").asLong()).isEqualTo(443);

            MapBtf back = map.btf().orElseThrow();
            assertThat(back.blob()).isEqualTo(built.btf().blob());
            assertThat(back.keyTypeId()).isEqualTo(built.btf().keyTypeId());
            assertThat(back.valueTypeId()).isEqualTo(built.btf().valueTypeId());
            assertThat(map.info().spec().valueHasSpinLock()).isFalse();
        }
    }

    @Test
    void specialFieldsRefuseMmapAndFreezeOnBothBackends() {
        ValueType locked = ValueType.struct("locked", List.of(
                new ValueTypeField("hits", ValueType.of(U64)),
                new ValueTypeField("lock", ValueType.of(BPF_SPIN_LOCK)),
                new ValueTypeField("timer", ValueType.of(BPF_TIMER))));
        ValueTypeBtf.Built built = ValueTypeBtf.build(locked);
        MapSpec spec = new MapSpec("locked", MapType.ARRAY, 4, (int) built.size(), 4, MapFlag.MMAPABLE.bit(), false, built.btf());
        try (EmulatedBackend emulated = new EmulatedBackend(dataDir)) {
            for (BpfBackend backend : List.of(kernel, emulated)) {
                try (BpfMap map = backend.create(spec)) {
                    assertThat(map.info().spec().valueHasSpinLock()).as(backend.kind().name()).isTrue();
                    assertThat(map.info().spec().btf()).isNull();
                    assertThat(map.btf()).contains(new MapBtf(built.btf().blob(), map.btf().orElseThrow().btfId(),
                            built.btf().keyTypeId(), built.btf().valueTypeId()));
                    assertThatThrownBy(() -> map.mmap(0, 4096, false)).isInstanceOfSatisfying(BpfException.class,
                            e -> assertThat(e.errno()).as(backend.kind().name()).isEqualTo(Errno.ENOTSUPP));
                    assertThatThrownBy(map::freeze).isInstanceOfSatisfying(BpfException.class,
                            e -> assertThat(e.errno()).as(backend.kind().name()).isEqualTo(Errno.ENOTSUPP));
                }
            }
        }
    }
}
