package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.MapFlag;

/**
 * The access mode of a map handle, as the kernel's {@code f_mode} of the map's fd. BPF_MAP_CREATE
 * derives it from {@code BPF_F_RDONLY}/{@code BPF_F_WRONLY} (kernel/bpf/syscall.c bpf_get_file_flag);
 * BPF_OBJ_GET from its {@code file_flags} ({@link #of(Access)}): 0 opens read-write.
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

    /** BPF_OBJ_GET's file_flags, through bpf_get_file_flag as for a create. */
    static FileMode of(Access access) {
        return ofMapFlags(access.fileFlags());
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
