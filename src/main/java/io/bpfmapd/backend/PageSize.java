package io.bpfmapd.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's {@code PAGE_SIZE}: 4 KiB on x86_64, 4, 16 or 64 KiB on arm64. Every mmap offset of a map
 * is a multiple of it and every mapping spans whole pages of it (kernel/bpf/arraymap.c, array_map_mmap).
 * Read once from the auxiliary vector the kernel hands each process ({@code AT_PAGESZ} in
 * {@code /proc/self/auxv}), which is where glibc's {@code sysconf(_SC_PAGESIZE)} takes it from too;
 * pure Java, so the emulation needs no native call to size itself as the machine does.
 */
public final class PageSize {

    private static final Path AUXV = Path.of("/proc/self/auxv");
    /** include/uapi/linux/auxvec.h. */
    private static final long AT_NULL = 0;
    private static final long AT_PAGESZ = 6;

    private PageSize() {
    }

    /** This machine's page size, read once. */
    public static long machine() {
        return Machine.VALUE;
    }

    private static final class Machine {
        static final long VALUE = read();

        private static long read() {
            try {
                return parse(Files.readAllBytes(AUXV));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + AUXV + " for the page size", e);
            }
        }
    }

    /** {@code AT_PAGESZ} from an auxiliary vector of native-endian 64-bit {@code (type, value)} pairs. */
    static long parse(byte[] auxv) {
        ByteBuffer entries = ByteBuffer.wrap(auxv).order(ByteOrder.nativeOrder());
        while (entries.remaining() >= 2 * Long.BYTES) {
            long type = entries.getLong();
            long value = entries.getLong();
            if (type == AT_PAGESZ) {
                if (value <= 0 || Long.bitCount(value) != 1) {
                    throw new IllegalStateException("AT_PAGESZ " + value + " is not a power of two");
                }
                return value;
            }
            if (type == AT_NULL) {
                break;
            }
        }
        throw new IllegalStateException("the auxiliary vector has no AT_PAGESZ");
    }
}
