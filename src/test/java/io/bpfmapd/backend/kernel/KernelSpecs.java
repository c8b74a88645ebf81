package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import org.assertj.core.api.ThrowableAssert;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Specs and assertions shared by the kernel tests. */
final class KernelSpecs {

    private KernelSpecs() {
    }

    static MapSpec array(int valueSize, int maxEntries, MapFlag... flags) {
        return spec(MapType.ARRAY, valueSize, maxEntries, flags);
    }

    static MapSpec mmapable(int valueSize, int maxEntries, MapFlag... more) {
        return new MapSpec("test", MapType.ARRAY, 4, valueSize, maxEntries, MapFlag.MMAPABLE.bit() | bits(more), false);
    }

    static MapSpec spec(MapType type, int valueSize, int maxEntries, MapFlag... flags) {
        return new MapSpec("test", type, 4, valueSize, maxEntries, bits(flags), false);
    }

    static int bits(MapFlag... flags) {
        int b = 0;
        for (MapFlag f : flags) {
            b |= f.bit();
        }
        return b;
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static long u64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static void assertErrno(Errno errno, ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BpfException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.errno()).as(e.getMessage()).isEqualTo(errno));
    }
}
