package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.MapFlag;

/**
 * The access mode of a map handle, as the kernel's {@code f_mode} of the map's fd. BPF_MAP_CREATE
 * derives it from {@code BPF_F_RDONLY}/{@code BPF_F_WRONLY} (kernel/bpf/syscall.c bpf_get_file_flag);
 * BPF_OBJ_GET with {@code file_flags} 0, as {@link EmulatedBackend#open} does, opens read-write.
 */
enum FileMode {
    READ_WRITE(true, true),
    READ_ONLY(true, false),
    WRITE_ONLY(false, true);

    private final boolean canRead;
    private final boolean canWrite;

    FileMode(boolean canRead, boolean canWrite) {
        this.canRead = canRead;
        this.canWrite = canWrite;
    }

    boolean canRead() {
        return canRead;
    }

    boolean canWrite() {
        return canWrite;
    }

    /** bpf_get_file_flag; the caller has already refused RDONLY together with WRONLY. */
    static FileMode ofMapFlags(int flags) {
        if (MapFlag.RDONLY.isSet(flags)) {
            return READ_ONLY;
        }
        if (MapFlag.WRONLY.isSet(flags)) {
            return WRITE_ONLY;
        }
        return READ_WRITE;
    }
}
