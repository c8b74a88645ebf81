package io.bpfmapd.backend.kernel.sys;

/**
 * The BPF_MAP_CREATE fields this service sets (include/uapi/linux/bpf.h, the first anonymous struct of
 * {@code union bpf_attr}). BTF ids are 0 and {@code btfFd} -1 when the value has no BTF.
 */
public record MapCreateAttr(int mapType, int keySize, int valueSize, int maxEntries, int mapFlags, String name,
                            int btfFd, int btfKeyTypeId, int btfValueTypeId) {

    public static MapCreateAttr withoutBtf(int mapType, int keySize, int valueSize, int maxEntries, int mapFlags, String name) {
        return new MapCreateAttr(mapType, keySize, valueSize, maxEntries, mapFlags, name, -1, 0, 0);
    }
}
