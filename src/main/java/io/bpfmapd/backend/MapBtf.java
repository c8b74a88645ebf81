package io.bpfmapd.backend;

import java.util.Arrays;

/**
 * A map's BTF: the raw blob its key and value types live in (include/uapi/linux/btf.h) and their ids
 * in it, as BPF_MAP_CREATE took them ({@code btf_fd}, {@code btf_key_type_id}, {@code btf_value_type_id})
 * and {@code struct bpf_map_info} gives them back. The blob is parsed by io.bpfmapd.btf, above the backend.
 * Two are equal when their blobs hold the same bytes.
 *
 * @param blob        the raw BTF, exactly as loaded (the caller's own copy)
 * @param btfId       the kernel's id of the BTF object ({@code bpftool btf show id}); 0 in the emulation
 * @param keyTypeId   the key's type id, 0 when the map was created without one
 * @param valueTypeId the value's type id, 0 when the map was created without one
 */
public record MapBtf(byte[] blob, int btfId, int keyTypeId, int valueTypeId) {

    @Override
    public boolean equals(Object o) {
        return o instanceof MapBtf other && Arrays.equals(blob, other.blob) && btfId == other.btfId
                && keyTypeId == other.keyTypeId && valueTypeId == other.valueTypeId;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(blob) + btfId) + keyTypeId) + valueTypeId;
    }

    @Override
    public String toString() {
        return "MapBtf[" + blob.length + " bytes, btfId=" + btfId + ", keyTypeId=" + keyTypeId
                + ", valueTypeId=" + valueTypeId + "]";
    }
}
