package io.bpfmapd.backend;

/**
 * How a handle opens a pinned map: BPF_OBJ_GET's {@code file_flags} (include/uapi/linux/bpf.h), which
 * become the fd's {@code f_mode}. A read-only fd looks values up (singly or in batches) but neither
 * writes, freezes nor maps: bpf_map_mmap wants {@code VM_SHARED}, which do_mmap drops for a file not
 * opened for writing, so even a {@code PROT_READ} mapping is EINVAL (kernel/bpf/syscall.c, mm/mmap.c).
 * Opening read-only needs only read permission on the pin (bpf_obj_get_user checks the inode as for
 * open(2)), so a process with no capability at all may do it on a {@code 0644} pin.
 */
public enum Access {
    READ_WRITE(0),
    READ_ONLY(MapFlag.RDONLY.bit());

    private final int fileFlags;

    Access(int fileFlags) {
        this.fileFlags = fileFlags;
    }

    /** BPF_OBJ_GET's {@code file_flags}: 0, or {@code BPF_F_RDONLY}. */
    public int fileFlags() {
        return fileFlags;
    }
}
