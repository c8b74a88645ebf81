package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The backing file: header page fields at their offsets, data at the second page, and what open refuses. */
class MapFileLayoutTest extends WithEmulatedBackend {

    @Test
    void headerThenPageAlignedZeroFilledData() throws Exception {
        Path pin = dataDir.resolve("m");
        int flags = MapFlag.MMAPABLE.bit() | MapFlag.RDONLY_PROG.bit();
        try (BpfMap map = backend.create(new MapSpec("layout.x", MapType.ARRAY, 4, 12, 1000, flags, false))) {
            map.update(2, new byte[]{(byte) 0xAB, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xCD}, UpdateFlag.ANY);
            map.pin(pin);
            map.freeze();
        }
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(pin)).order(ByteOrder.LITTLE_ENDIAN);
        // 1000 * round_up(12, 8) = 16000 -> 16384 bytes of data after one header page.
        assertThat(file.capacity()).isEqualTo(4096 + 16384);
        assertThat(new String(Files.readAllBytes(pin), 0, 7, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("BPFMAPD");
        assertThat(file.getLong(0)).isEqualTo(MapFile.MAGIC);
        assertThat(file.getInt(8)).isEqualTo(MapFile.VERSION);
        assertThat(file.getInt(12)).isEqualTo(MapType.ARRAY.kernelType());
        assertThat(file.getInt(16)).isEqualTo(4);
        assertThat(file.getInt(20)).isEqualTo(12);
        assertThat(file.getInt(24)).isEqualTo(1000);
        assertThat(file.getInt(28)).isEqualTo(flags);
        assertThat(file.getInt(32)).isZero();
        assertThat(file.getInt(36)).isEqualTo(2);
        assertThat(file.getInt(40)).as("frozen").isEqualTo(1);
        assertThat(new String(Files.readAllBytes(pin), 48, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("layout.x");
        assertThat(file.get(56)).isZero();
        assertThat(file.getLong(64)).isEqualTo(4096);
        assertThat(file.getLong(72)).isEqualTo(16384);
        // Element 2 at 2 * elem_size of the data area; the padding after value_size stays zero.
        assertThat(file.get(4096 + 32)).isEqualTo((byte) 0xAB);
        assertThat(file.get(4096 + 32 + 11)).isEqualTo((byte) 0xCD);
        for (int i = 4096; i < file.capacity(); i++) {
            if (i != 4096 + 32 && i != 4096 + 43) {
                assertThat(file.get(i)).as("byte %d", i).isZero();
            }
        }
    }

    @Test
    void perCpuElementsHoldOneSlotPerCpuSideBySide() throws Exception {
        Path pin = dataDir.resolve("pc");
        try (BpfMap map = backend.create(new MapSpec("pc", MapType.PERCPU_ARRAY, 4, 4, 3, 0, false))) {
            map.update(1, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, UpdateFlag.ANY);
            map.pin(pin);
        }
        byte[] file = Files.readAllBytes(pin);
        assertThat(file).hasSize(4096 + 4096);
        for (int i = 0; i < 16; i++) {
            assertThat(file[4096 + 16 + i]).isEqualTo((byte) (i + 1));
        }
    }

    @Test
    void openRefusesWhatIsNotAnEmulatedMap() throws Exception {
        assertErrno(Errno.ENOENT, dataDir.resolve("missing"));
        Path dir = Files.createDirectory(dataDir.resolve("dir"));
        assertErrno(Errno.EINVAL, dir);
        Path empty = Files.createFile(dataDir.resolve("empty"));
        assertErrno(Errno.EINVAL, empty);
        Path junk = Files.write(dataDir.resolve("junk"), new byte[8192]);
        assertErrno(Errno.EINVAL, junk);

        Path pin = dataDir.resolve("good");
        try (BpfMap map = backend.create(new MapSpec("g", MapType.ARRAY, 4, 8, 4, 0, false))) {
            map.pin(pin);
        }
        byte[] good = Files.readAllBytes(pin);
        Path truncated = Files.write(dataDir.resolve("truncated"), java.util.Arrays.copyOf(good, good.length - 1));
        assertErrno(Errno.EINVAL, truncated);
        byte[] badVersion = good.clone();
        badVersion[8] = 99;
        assertErrno(Errno.EINVAL, Files.write(dataDir.resolve("version"), badVersion));
        byte[] badType = good.clone();
        badType[12] = 1; // BPF_MAP_TYPE_HASH
        assertErrno(Errno.EINVAL, Files.write(dataDir.resolve("hash"), badType));
        byte[] badSpec = good.clone();
        badSpec[16] = 8; // key_size 8
        assertErrno(Errno.EINVAL, Files.write(dataDir.resolve("key8"), badSpec));
        assertThat(backend.liveMapCount()).isEqualTo(1);
    }

    private void assertErrno(Errno errno, Path path) {
        BpfException e = assertThrows(BpfException.class, () -> backend.open(path));
        assertThat(e.errno()).as(e.getMessage()).isEqualTo(errno);
        assertThat(e.operation()).isEqualTo("BPF_OBJ_GET");
    }
}
