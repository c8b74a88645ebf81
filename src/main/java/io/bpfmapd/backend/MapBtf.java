package io.bpfmapd.backend;

/**
 * A map's BTF: the raw blob its key and value types live in (include/uapi/linux/btf.h) and their ids
 * in it, as BPF_MAP_CREATE took them ({@code btf_fd}, {@code btf_key_type_id}, {@code btf_value_type_id})
 * and {@code struct bpf_map_info} gives them back. The blob is parsed by io.bpfmapd.btf, above the backend.
 *
 * @param blob        the raw BTF, exactly as loaded (the caller's own copy)
 * @param btfId       the kernel's id of the BTF object ({@code bpftool btf show id}); 0 in the emulation
 * @param keyTypeId   the key's type id, 0 when the map was created without one
 * @param valueTypeId the value's type id, 0 when the map was created without one
 */
public record MapBtf(byte[] blob, int btfId, int keyTypeId, int valueTypeId) {
}
