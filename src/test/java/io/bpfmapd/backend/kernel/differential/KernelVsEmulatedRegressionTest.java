package io.bpfmapd.backend.kernel.differential;

import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.backend.kernel.KernelBackend;
import io.bpfmapd.backend.kernel.RequiresKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fixed sequences from the differential property: the shrunk samples it found while it was being
 * written (a mutated emulation each time) and the corners where the kernel's rules are least obvious.
 * Each runs on both backends and must agree at every step.
 */
@RequiresKernel
class KernelVsEmulatedRegressionTest {

    private static final long PAGE = 4096;
    private static final int MMAPABLE = MapFlag.MMAPABLE.bit();

    @TempDir
    Path dataDir;

    private KernelBackend kernel;
    private EmulatedBackend emulated;

    @BeforeEach
    void start() {
        kernel = new KernelBackend();
        emulated = new EmulatedBackend(dataDir);
    }

    @AfterEach
    void stop() {
        kernel.close();
        emulated.close();
    }

    @Test
    void preserveElemsIsRefusedOnAnArray() {
        agree(create(MapType.ARRAY, 1, 1, MapFlag.PRESERVE_ELEMS.bit()), new Op.Mmap(0, 0, PAGE, true));
    }

    @Test
    void spinLockBytesNeverReadBackAndTheMapNeitherMapsNorFreezes() {
        agree(new Op.Create(MapType.ARRAY, 4, 12, 4, 0, true, "m"),
                new Op.Update(0, 1, 5, UpdateFlag.ANY, 0),
                new Op.Lookup(0, 1),
                new Op.Mmap(0, 0, PAGE, false),
                new Op.Freeze(0),
                new Op.Info(0));
    }

    @Test
    void aDowngradedWriterStillBlocksFreezeAndFrozenWinsOverEverythingAfter() {
        agree(create(MapType.ARRAY, 8, 512, MMAPABLE | MapFlag.RDONLY_PROG.bit()),
                create(MapType.ARRAY, 8, 512, MMAPABLE),
                new Op.Mmap(1, 0, PAGE, true),
                new Op.Mmap(0, 0, PAGE, true),
                new Op.Protect(0, false),
                new Op.Freeze(1),
                new Op.Write(0, 8, 8, 3),
                new Op.Unmap(0),
                new Op.Freeze(1),
                new Op.Freeze(1),
                new Op.Mmap(1, 8 * PAGE, PAGE, true),
                new Op.Mmap(1, 0, PAGE, false),
                new Op.Read(1),
                new Op.Info(1));
    }

    @Test
    void windowsAtPageOffsetsSeeTheRightElements() {
        agree(create(MapType.ARRAY, 8, 1536, MMAPABLE),
                new Op.Mmap(0, PAGE, 100, true),
                new Op.Write(0, 0, 24, 7),
                new Op.Lookup(0, 512),
                new Op.Mmap(0, 0, 3 * PAGE, false),
                new Op.Read(1),
                new Op.Mmap(0, 2 * PAGE, 2 * PAGE, false),
                new Op.Mmap(0, 1, PAGE, false),
                new Op.Mmap(0, 0, 0, false));
    }

    @Test
    void aClosedHandleIsEbadfWhileItsMappingsLiveOn() {
        agree(create(MapType.ARRAY, 5, 16, MMAPABLE),
                new Op.Mmap(0, 0, PAGE, true),
                new Op.Update(0, 3, 9, UpdateFlag.EXIST, 0),
                new Op.Close(0),
                new Op.Lookup(0, 3),
                new Op.Info(0),
                new Op.Freeze(0),
                new Op.Write(0, 40, 5, 1),
                new Op.Read(0),
                new Op.Unmap(0),
                new Op.Read(0));
    }

    @Test
    void perCpuValuesPaddingAndFreeze() {
        agree(create(MapType.PERCPU_ARRAY, 3, 2, 0),
                new Op.Update(0, 1, 11, UpdateFlag.ANY, 0),
                new Op.Lookup(0, 1),
                new Op.Update(0, 1, 11, UpdateFlag.ANY, -1),
                new Op.Update(0, 2, 11, UpdateFlag.NOEXIST, 0),
                new Op.Mmap(0, 0, PAGE, false),
                new Op.Freeze(0),
                new Op.Update(0, 7, 1, UpdateFlag.NOEXIST, 0),
                new Op.Delete(0, 0));
    }

    @Test
    void accessFlagsOfTheFdComeFirst() {
        agree(create(MapType.ARRAY, 8, 4, MMAPABLE | MapFlag.RDONLY.bit()),
                create(MapType.ARRAY, 8, 4, MMAPABLE | MapFlag.WRONLY.bit()),
                new Op.Mmap(0, 0, PAGE, false),
                new Op.Mmap(0, 0, PAGE, true),
                new Op.Update(0, 9, 1, UpdateFlag.NOEXIST, 0),
                new Op.Freeze(0),
                new Op.Mmap(1, 0, PAGE, false),
                new Op.Lookup(1, 99),
                new Op.Freeze(1),
                new Op.Update(1, 0, 1, UpdateFlag.ANY, 0));
    }

    private static Op.Create create(MapType type, int valueSize, int maxEntries, int flags) {
        return new Op.Create(type, 4, valueSize, maxEntries, flags, false, "m");
    }

    private void agree(Op... ops) {
        try (DifferentialRun run = new DifferentialRun(kernel, emulated)) {
            Optional<DifferentialRun.Divergence> divergence = run.run(List.of(ops));
            assertThat(divergence).as(() -> divergence.map(Object::toString).orElse("")).isEmpty();
            assertThat(run.transcript()).hasSize(ops.length);
        }
    }
}
