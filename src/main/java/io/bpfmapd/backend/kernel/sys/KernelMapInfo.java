package io.bpfmapd.backend.kernel.sys;

/** The fields of {@code struct bpf_map_info} this service reads (BPF_OBJ_GET_INFO_BY_FD). */
public record KernelMapInfo(int type, int id, int keySize, int valueSize, int maxEntries, int mapFlags, String name,
                            int btfId, int btfKeyTypeId, int btfValueTypeId) {
}
