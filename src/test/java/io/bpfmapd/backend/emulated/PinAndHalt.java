package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link EmulatedPersistenceTest}: creates and pins a map, writes through a
 * mapping, optionally freezes, says "ready" and waits to be killed with SIGKILL (no shutdown hook,
 * no unmap, no close).
 */
public final class PinAndHalt {

    private PinAndHalt() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        Path pin = Path.of(args[1]);
        boolean freeze = Boolean.parseBoolean(args[2]);
        EmulatedBackend backend = new EmulatedBackend(dataDir, 2, EmulatedBackend.DEFAULT_MAX_MAP_BYTES);
        BpfMap map = backend.create(new MapSpec("survivor", MapType.ARRAY, 4, 8, 1024, MapFlag.MMAPABLE.bit(), false));
        map.pin(pin);
        // An unpinned map too, whose file the next start must sweep.
        backend.create(new MapSpec("doomed", MapType.ARRAY, 4, 8, 16, 0, false));
        Mapping m = map.mmap(0, 2 * 4096, true);
        m.writeLong(8 * 1000, 0xC0FFEEL);
        m.close();
        if (freeze) {
            map.freeze();
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
