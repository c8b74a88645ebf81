package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.BackendUnavailableException;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.kernel.sys.Fd;
import io.bpfmapd.backend.kernel.sys.MapCommands;
import io.bpfmapd.backend.kernel.sys.Mmap;
import io.bpfmapd.backend.kernel.sys.ObjCommands;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * The reader of {@link UnprivilegedReadTest}, run in a child process with no capability and another
 * uid: what a no-capability sidecar can do with an agent's {@code 0644} pin, through the service's own
 * sys layer. Prints one line per attempt: its name, then {@code ok <answer>} or the errno's name.
 */
public final class ReadOnlyReader {

    private ReadOnlyReader() {
    }

    public static void main(String[] args) {
        String pin = args[0];
        attempt("open-rw", () -> {
            ObjCommands.get(pin, 0).close();
            return "";
        });
        try (Fd fd = ObjCommands.get(pin, MapFlag.RDONLY.bit())) {
            System.out.println("open-ro ok");
            attempt("lookup", () -> HexFormat.of().formatHex(MapCommands.lookup(fd.value(), 1, 8)));
            attempt("batch", () -> {
                MapCommands.Batch b = MapCommands.lookupBatch(fd.value(), false, 0, 4, 8);
                return b.count() + " " + HexFormat.of().formatHex(b.values());
            });
            attempt("update", () -> {
                MapCommands.update(fd.value(), 1, new byte[8], 0);
                return "";
            });
            attempt("mmap-read", () -> {
                try (Arena arena = Arena.ofShared()) {
                    Mmap.map(fd.value(), 0, 4096, false, arena, () -> { });
                }
                return "";
            });
        } catch (BpfException e) {
            System.out.println("open-ro " + e.errno());
        }
        // The service's kernel backend in the same process: it cannot create maps, but opens readable pins read-only.
        try (KernelBackend backend = new KernelBackend()) {
            System.out.println("backend-available " + backend.availability().available());
            System.out.println("backend-read-only-opens " + backend.readOnlyOpens().available());
            try (BpfMap map = backend.open(Path.of(pin), Access.READ_ONLY)) {
                attempt("backend-batch", () -> {
                    var values = map.lookupBatch(OptionalInt.empty(), 4).values();
                    return values.size() + " " + HexFormat.of().formatHex(values.get(1));
                });
            }
            try {
                backend.open(Path.of(pin)).close();
                System.out.println("backend-open-rw ok");
            } catch (BackendUnavailableException e) {
                System.out.println("backend-open-rw unavailable");
            }
        }
    }

    private static void attempt(String name, java.util.function.Supplier<String> op) {
        try {
            System.out.println(name + " ok " + op.get());
        } catch (BpfException e) {
            System.out.println(name + " " + e.errno());
        }
    }
}
