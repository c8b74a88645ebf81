package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.SpinLockBtf;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.btf.BtfType;
import io.bpfmapd.btf.BtfWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The map file's version 2 (the BTF blob in the header) and the version-1 files written before it,
 * which still open: a fixture here is the version-1 layout written byte by byte, as the old code did.
 */
class MapFileVersionTest extends WithEmulatedBackend {

    /** A version-1 file: header page (fields up to 80), then the data of ARRAY key 4 value 8 entries 2. */
    private static byte[] version1(boolean spinLock) {
        ByteBuffer b = ByteBuffer.allocate(4096 + 4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, MapFile.MAGIC).putInt(8, 1).putInt(12, MapType.ARRAY.kernelType()).putInt(16, 4).putInt(20, 8)
                .putInt(24, 2).putInt(28, 0).putInt(32, spinLock ? 1 : 0).putInt(36, 2).putInt(40, 0);
        b.put(48, "old_v1".getBytes(StandardCharsets.US_ASCII));
        b.putLong(64, 4096).putLong(72, 4096);
        // element 1: bytes 1..8, the lock's four first
        for (int i = 0; i < 8; i++) {
            b.put(4096 + 8 + i, (byte) (i + 1));
        }
        return b.array();
    }

    @Test
    void aVersion1SpinLockFileOpensWithTheSpinLockBtf() throws Exception {
        Path file = Files.write(dataDir.resolve("v1_locked"), version1(true));
        try (BpfMap map = backend.open(file)) {
            assertThat(map.info().spec()).isEqualTo(new MapSpec("old_v1", MapType.ARRAY, 4, 8, 2, 0, true));
            assertThat(map.btf()).contains(SpinLockBtf.mapBtf(8));
            assertThat(map.lookup(1)).containsExactly(0, 0, 0, 0, 5, 6, 7, 8);
            assertThatThrownBy(map::freeze).isInstanceOfSatisfying(BpfException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.ENOTSUPP));
        }
    }

    @Test
    void aVersion1PlainFileOpensUntyped() throws Exception {
        Path file = Files.write(dataDir.resolve("v1_plain"), version1(false));
        try (BpfMap map = backend.open(file)) {
            assertThat(map.info().spec()).isEqualTo(new MapSpec("old_v1", MapType.ARRAY, 4, 8, 2, 0, false));
            assertThat(map.btf()).isEmpty();
            assertThat(map.lookup(1)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        }
    }

    /** A BTF blob beyond a page makes the header longer; the data stays page-aligned, and all reopens. */
    @Test
    void aLargeBtfTakesMoreHeaderPagesAndComesBackAfterRestart() throws Exception {
        List<BtfType> types = new ArrayList<>();
        types.add(new BtfType.Void());
        types.add(new BtfType.Int(1, "unsigned int", 4, BtfType.IntEncoding.NONE, 0, 32));
        List<BtfType.Member> members = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            members.add(new BtfType.Member("field_number_" + i, 1, i * 32L, 0));
        }
        types.add(new BtfType.Struct(2, "wide", 2400, false, members));
        MapBtf btf = new MapBtf(BtfWriter.write(types, ByteOrder.nativeOrder()), 0, 1, 2);
        assertThat(btf.blob().length).isGreaterThan(4096);

        Path pin = dataDir.resolve("wide");
        byte[] value = new byte[2400];
        value[2399] = 42;
        try (BpfMap map = backend.create(new MapSpec("wide", MapType.ARRAY, 4, 2400, 3, 0, false, btf))) {
            map.update(2, value, UpdateFlag.ANY);
            map.pin(pin);
        }
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(pin)).order(ByteOrder.LITTLE_ENDIAN);
        long header = file.getLong((int) MapFile.OFF_DATA_OFFSET);
        assertThat(header).isEqualTo(4096L * ((MapFile.HEADER_FIELDS + btf.blob().length + 4095) / 4096)).isGreaterThan(4096);
        assertThat(file.getInt(8)).isEqualTo(2);

        backend.close();
        backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
        try (BpfMap map = backend.open(pin)) {
            assertThat(map.btf()).contains(btf);
            assertThat(map.lookup(2)).isEqualTo(value);
            assertThat(map.info().spec().valueHasSpinLock()).isFalse();
        }
    }
}
