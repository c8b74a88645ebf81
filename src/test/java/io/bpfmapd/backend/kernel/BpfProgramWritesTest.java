package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.kernel.sys.Fd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.bpfmapd.backend.Errno.EACCES;
import static io.bpfmapd.backend.kernel.KernelSpecs.mmapable;
import static io.bpfmapd.backend.kernel.KernelSpecs.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real BPF program writes into a mapped map; the service sees it through its mappings. */
@RequiresKernel
class BpfProgramWritesTest {

    private final KernelBackend backend = new KernelBackend();

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void theProgramsIncrementShowsThroughAnOpenMapping() {
        try (BpfMap map = backend.create(mmapable(16, 8));
             Mapping m = map.mmap(0, 4096, false);
             Fd prog = IncrementProgram.load(((KernelMap) map).fd(), 3, 8)) {
            for (int i = 1; i <= 5; i++) {
                IncrementProgram.run(prog);
                assertThat(m.readLong(3 * 16 + 8)).isEqualTo(i);
            }
            assertThat(m.readLong(3 * 16)).isZero();
            assertThat(u64(java.util.Arrays.copyOfRange(map.lookup(3), 8, 16))).isEqualTo(5);
        }
    }

    @Test
    void programsStillWriteAfterFreeze() {
        try (BpfMap map = backend.create(mmapable(8, 8));
             Mapping m = map.mmap(0, 4096, false);
             Fd prog = IncrementProgram.load(((KernelMap) map).fd(), 0, 0)) {
            IncrementProgram.run(prog);
            map.freeze();
            // BPF_MAP_FREEZE only freezes the syscall side (include/uapi/linux/bpf.h).
            IncrementProgram.run(prog);
            IncrementProgram.run(prog);
            assertThat(m.readLong(0)).isEqualTo(3);
        }
    }

    @Test
    void aProgramLoadedBeforeFreezeStillWritesAndMappingsStillSeeIt() {
        try (BpfMap map = backend.create(mmapable(8, 8));
             Fd prog = IncrementProgram.load(((KernelMap) map).fd(), 7, 0)) {
            map.freeze();
            try (Mapping m = map.mmap(0, 4096, false)) {
                IncrementProgram.run(prog);
                assertThat(m.readLong(7 * 8)).isEqualTo(1);
            }
        }
    }

    @Test
    void rdonlyProgMapsRefuseProgramWritesAtLoad() {
        try (BpfMap map = backend.create(mmapable(8, 8, MapFlag.RDONLY_PROG));
             Mapping m = map.mmap(0, 4096, false)) {
            // The verifier refuses the store: "write into map forbidden" (kernel/bpf/verifier.c
            // check_map_access_type), so no increment can ever reach the map.
            assertThatThrownBy(() -> IncrementProgram.load(((KernelMap) map).fd(), 0, 0).close())
                    .isInstanceOfSatisfying(BpfException.class, e -> {
                        assertThat(e.errno()).isEqualTo(EACCES);
                        assertThat(e.getMessage()).contains("write into map forbidden");
                    });
            assertThat(m.readLong(0)).isZero();
        }
    }
}
