package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.bpfmapd.backend.Errno.EACCES;
import static io.bpfmapd.backend.Errno.EINVAL;
import static io.bpfmapd.backend.Errno.ENOTSUPP;
import static io.bpfmapd.backend.Errno.EOPNOTSUPP;
import static io.bpfmapd.backend.kernel.KernelSpecs.assertErrno;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value holding a {@code struct bpf_spin_lock}, described to the kernel in BTF. These are the kernel's
 * answers the emulation's {@code valueHasSpinLock} rules are held to.
 */
@RequiresKernel
class KernelSpinLockTest {

    private final KernelBackend backend = new KernelBackend();

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void mmapAndFreezeAreEnotsupp() {
        try (BpfMap map = backend.create(spinLocked(MapType.ARRAY, 16, MapFlag.MMAPABLE.bit()))) {
            assertThat(map.info().spec().valueHasSpinLock()).isTrue();
            assertErrno(ENOTSUPP, () -> map.mmap(0, 4096, false));
            assertErrno(ENOTSUPP, () -> map.mmap(0, 4096, true));
            assertErrno(ENOTSUPP, map::freeze);
        }
    }

    @Test
    void enotsuppComesBeforeEveryOtherMmapAndFreezeCheck() {
        // Not MMAPABLE, read-only fd, out of range: the special-field check in bpf_map_mmap and
        // map_freeze comes first (kernel/bpf/syscall.c).
        try (BpfMap map = backend.create(spinLocked(MapType.ARRAY, 8, MapFlag.RDONLY.bit()))) {
            assertErrno(ENOTSUPP, () -> map.mmap(0, 4096, false));
            assertErrno(ENOTSUPP, map::freeze);
        }
        try (BpfMap map = backend.create(spinLocked(MapType.ARRAY, 8, 0))) {
            assertErrno(ENOTSUPP, () -> map.mmap(1 << 20, 4096, true));
        }
    }

    @Test
    void theLockBytesAreNeitherWrittenByUpdateNorReturnedByLookup() {
        try (BpfMap map = backend.create(spinLocked(MapType.ARRAY, 12, 0))) {
            byte[] value = new byte[12];
            Arrays.fill(value, (byte) 0x55);
            map.update(1, value, UpdateFlag.ANY);
            // copy_map_value skips special fields and lookup zeroes them (check_and_init_map_value).
            byte[] expected = value.clone();
            Arrays.fill(expected, 0, 4, (byte) 0);
            assertThat(map.lookup(1)).containsExactly(expected);
        }
    }

    @Test
    void createRules() {
        // The value must be as large as the BTF struct that holds the lock (map_check_btf).
        assertErrno(EINVAL, () -> backend.create(spinLocked(MapType.ARRAY, 3, 0)));
        // A spin lock is refused in per-CPU arrays (map_check_btf), but alloc_check runs first.
        assertErrno(EOPNOTSUPP, () -> backend.create(spinLocked(MapType.PERCPU_ARRAY, 8, 0)));
        assertErrno(EINVAL, () -> backend.create(spinLocked(MapType.PERCPU_ARRAY, 8, MapFlag.MMAPABLE.bit())));
        // Special fields and program access flags do not mix (map_check_btf).
        assertErrno(EACCES, () -> backend.create(spinLocked(MapType.ARRAY, 8, MapFlag.RDONLY_PROG.bit())));
        assertErrno(EACCES, () -> backend.create(spinLocked(MapType.ARRAY, 8, MapFlag.WRONLY_PROG.bit())));
    }

    @Test
    void openFindsTheLockOfAPinnedMap() throws Exception {
        Path pin = PinDir.path("spinlock");
        try (BpfMap map = backend.create(spinLocked(MapType.ARRAY, 8, MapFlag.MMAPABLE.bit()))) {
            map.pin(pin);
        }
        try (BpfMap opened = backend.open(pin)) {
            assertThat(opened.info().spec().valueHasSpinLock()).isTrue();
        } finally {
            Files.deleteIfExists(pin);
        }
        try (BpfMap plain = backend.create(KernelSpecs.mmapable(8, 4))) {
            plain.pin(pin);
        }
        try (BpfMap opened = backend.open(pin)) {
            assertThat(opened.info().spec().valueHasSpinLock()).isFalse();
        } finally {
            Files.deleteIfExists(pin);
        }
    }

    private static MapSpec spinLocked(MapType type, int valueSize, int flags) {
        return new MapSpec("locked", type, 4, valueSize, 4, flags, true);
    }
}
