package io.bpfmapd.map;

import io.bpfmapd.backend.BatchResult;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Reads of maps that cannot be mapped (per-CPU arrays, read-only imports, arrays without
 * BPF_F_MMAPABLE): BPF_MAP_LOOKUP_BATCH, a chunk of values per bpf() call instead of one
 * BPF_MAP_LOOKUP_ELEM per element. The walk follows array_map_get_next_key: a batch starts after its
 * in_batch, so the range [from, end) starts with in_batch {@code from - 1}, or none at 0.
 */
public final class BatchReads {

    /** Values per call: bounds the kernel's and our buffers at this many values (16 MiB of u64 per-CPU slots on 2 CPUs). */
    static final int MAX_BATCH = 1 << 20;

    private BatchReads() {
    }

    /** Receives the values of a walk in index order. */
    @FunctionalInterface
    interface Sink {
        void accept(byte[] value) throws java.io.IOException;
    }

    /** The values of [from, end), {@code from < end <= max_entries}, in as few calls as {@link #MAX_BATCH} allows. */
    public static List<byte[]> read(BpfMap map, long from, long end) {
        List<byte[]> values = new ArrayList<>((int) (end - from));
        long next = from;
        while (next < end) {
            List<byte[]> chunk = chunk(map, next, (int) Math.min(MAX_BATCH, end - next));
            values.addAll(chunk);
            next += chunk.size();
        }
        return values;
    }

    /**
     * One call: {@code count} values from index {@code from}, all of which exist.
     *
     * @throws BpfException the kernel's errno (EPERM without read access); ENOENT if the map ended
     *                      before them, which an array of the size the service read cannot do
     */
    static List<byte[]> chunk(BpfMap map, long from, int count) {
        BatchResult r = map.lookupBatch(from == 0 ? OptionalInt.empty() : OptionalInt.of((int) (from - 1)), count);
        if (r.values().size() != count) {
            throw new BpfException(Errno.ENOENT, "BPF_MAP_LOOKUP_BATCH", "asked for " + count + " values from index "
                    + from + ", the map gave " + r.values().size());
        }
        return r.values();
    }
}
