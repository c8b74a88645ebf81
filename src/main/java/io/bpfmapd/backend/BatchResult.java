package io.bpfmapd.backend;

import java.util.List;
import java.util.OptionalInt;

/**
 * What one BPF_MAP_LOOKUP_BATCH answered (kernel/bpf/syscall.c generic_map_lookup_batch).
 *
 * @param values   the values copied, in index order: {@code batch.count} on return, each as long as a
 *                 lookup's (value_size; per-CPU: round_up(value_size, 8) per possible CPU)
 * @param outBatch {@code batch.out_batch}: the last index copied, to pass as the next call's in_batch;
 *                 empty when nothing was copied (the kernel then leaves it as it was)
 * @param end      the kernel answered ENOENT: there is no element after the last one copied (the
 *                 values and count are still valid, as the kernel copies them before it returns)
 */
public record BatchResult(List<byte[]> values, OptionalInt outBatch, boolean end) {

    public BatchResult {
        values = List.copyOf(values);
    }
}
