package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.Availability;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.SegmentMapping;
import io.bpfmapd.backend.kernel.sys.Fd;
import io.bpfmapd.backend.kernel.sys.MapCommands;
import io.bpfmapd.backend.kernel.sys.MapCreateAttr;
import io.bpfmapd.backend.kernel.sys.ObjCommands;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Asks this machine once whether the kernel backend can work: create a {@code BPF_F_MMAPABLE} array,
 * mmap it writable, write and read a value through the mapping, and release it all. The answer says
 * plainly what is missing when it cannot (not Linux, no bpf(), not root / no CAP_BPF, a kernel older
 * than 5.5, no native access).
 */
public final class KernelProbe {

    private static final long MAGIC = 0x62_70_66_6d_61_70_64L; // "bpfmapd"

    private KernelProbe() {
    }

    public static Availability run() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase().startsWith("linux")) {
            return Availability.unavailable("not Linux (os.name=" + os + "): BPF maps exist only in the Linux kernel");
        }
        try {
            return createAndMap();
        } catch (BpfException e) {
            return Availability.unavailable(explain(e));
        } catch (IllegalCallerException e) {
            return Availability.unavailable("native access is not enabled for this code: run the JVM with "
                    + "--enable-native-access=ALL-UNNAMED (" + e.getMessage() + ")");
        } catch (UnsupportedOperationException | UnsatisfiedLinkError e) {
            return Availability.unavailable(e.getMessage());
        } catch (RuntimeException e) {
            return Availability.unavailable("the probe failed unexpectedly: " + e);
        }
    }

    /**
     * Where {@link #run()} failed: whether this process may still open readable pins read-only. Since
     * Linux 6.5 the {@code unprivileged_bpf_disabled} check guards map and program creation only
     * (map_create, bpf_prog_load in kernel/bpf/syscall.c), so a process without capabilities may
     * BPF_OBJ_GET a pin its permissions let it read; before, every bpf() command was EPERM for it. The
     * question is asked with a path that is no pin: a kernel that answers anything but EPERM or ENOSYS
     * has looked the path up (bpf_obj_get_user), so it would open a readable pin.
     */
    static Availability readOnlyOpens(Availability full) {
        try {
            ObjCommands.get("/", MapFlag.RDONLY.bit()).close();
            return readOnlyOnly(full);
        } catch (BpfException e) {
            if (e.errno() == Errno.EPERM || e.errno() == Errno.ENOSYS) {
                return full;
            }
            return readOnlyOnly(full);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return full;
        }
    }

    private static Availability readOnlyOnly(Availability full) {
        return Availability.ok("read-only imports of readable pins only (\"access\": \"READ_ONLY\"); " + full.reason());
    }

    private static Availability createAndMap() {
        try (Fd fd = MapCommands.create(MapCreateAttr.withoutBtf(
                MapType.ARRAY.kernelType(), 4, 8, 1, MapFlag.MMAPABLE.bit(), "bpfmapd_probe"));
             SegmentMapping mapping = KernelMap.map(fd.value(), 0, 8, true, () -> { })) {
            mapping.writeLong(0, MAGIC);
            long viaSyscall = ByteBuffer.wrap(MapCommands.lookup(fd.value(), 0, 8))
                    .order(ByteOrder.nativeOrder()).getLong();
            if (viaSyscall != MAGIC) {
                return Availability.unavailable("a value written through the mapping did not read back through "
                        + "BPF_MAP_LOOKUP_ELEM (got 0x" + Long.toHexString(viaSyscall) + ")");
            }
            return Availability.ok("created, mmapped and read back a BPF_F_MMAPABLE array on Linux "
                    + System.getProperty("os.version"));
        }
    }

    private static String explain(BpfException e) {
        String what = e.operation() + " failed with " + e.errno() + " (" + e.code() + ")";
        return switch (e.errno()) {
            case EPERM -> what + ": run as root, or with CAP_BPF (and CAP_PERFMON); unprivileged BPF is "
                    + unprivilegedBpf();
            case ENOSYS -> what + ": this kernel has no bpf() syscall (CONFIG_BPF_SYSCALL=n) or a seccomp filter "
                    + "blocks it (containers: allow bpf in the seccomp profile)";
            case EINVAL -> what + ": the kernel refuses BPF_F_MMAPABLE arrays (needs Linux 5.5 or newer)";
            case ENOMEM -> what + ": out of locked memory (raise RLIMIT_MEMLOCK on kernels before 5.11)";
            default -> what;
        };
    }

    private static String unprivilegedBpf() {
        try {
            String v = Files.readString(Path.of("/proc/sys/kernel/unprivileged_bpf_disabled")).strip();
            return "disabled here (kernel.unprivileged_bpf_disabled=" + v + ")";
        } catch (IOException e) {
            return "not allowed here";
        }
    }
}
