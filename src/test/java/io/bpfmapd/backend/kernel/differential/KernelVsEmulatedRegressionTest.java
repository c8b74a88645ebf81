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

    @Test
    void lookupBatchStopsWithEnoentAfterTheLastIndexAndStartsOverPastIt() {
        List<String> answers = agree(create(MapType.ARRAY, 12, 5, 0),
                new Op.Update(0, 4, 9, UpdateFlag.ANY, 0),
                new Op.LookupBatch(0, null, 3),
                new Op.LookupBatch(0, 2, 3),
                new Op.LookupBatch(0, 2, 2),
                new Op.LookupBatch(0, 4, 3),
                new Op.LookupBatch(0, 5, 1),
                new Op.LookupBatch(0, -1, 2),
                new Op.LookupBatch(0, null, 0));
        // The kernel's own answers, so that both sides being wrong the same way shows too.
        assertThat(answers.get(2)).endsWith("3 values [000000000000000000000000, 000000000000000000000000, "
                + "000000000000000000000000] out_batch OptionalInt[2]");
        assertThat(answers.get(3)).contains("2 values").endsWith("out_batch OptionalInt[4] ENOENT");
        assertThat(answers.get(4)).contains("2 values").endsWith("out_batch OptionalInt[4]");
        assertThat(answers.get(5)).endsWith("0 values [] out_batch OptionalInt.empty ENOENT");
        assertThat(answers.get(6)).endsWith("1 values [000000000000000000000000] out_batch OptionalInt[0]");
        assertThat(answers.get(7)).endsWith("2 values [000000000000000000000000, 000000000000000000000000] out_batch OptionalInt[1]");
        assertThat(answers.get(8)).endsWith("0 values [] out_batch OptionalInt.empty");
    }

    @Test
    void lookupBatchOfAPerCpuArrayGivesEachValueASlotPerCpu() {
        List<String> answers = agree(create(MapType.PERCPU_ARRAY, 4, 3, 0),
                new Op.Update(0, 1, 7, UpdateFlag.ANY, 0),
                new Op.LookupBatch(0, null, 3),
                new Op.Lookup(0, 1),
                new Op.Freeze(0),
                new Op.LookupBatch(0, 0, 600));
        String one = answers.get(3).substring(answers.get(3).indexOf("-> ") + 3);
        assertThat(one).hasSize(2 * 8 * io.bpfmapd.backend.PossibleCpus.count());
        assertThat(answers.get(2)).contains(", " + one + ", ");
        assertThat(answers.get(5)).contains("2 values").endsWith("ENOENT");
    }

    private static Op.Create create(MapType type, int valueSize, int maxEntries, int flags) {
        return new Op.Create(type, 4, valueSize, maxEntries, flags, false, "m");
    }

    private List<String> agree(Op... ops) {
        try (DifferentialRun run = new DifferentialRun(kernel, emulated)) {
            Optional<DifferentialRun.Divergence> divergence = run.run(List.of(ops));
            assertThat(divergence).as(() -> divergence.map(Object::toString).orElse("")).isEmpty();
            assertThat(run.transcript()).hasSize(ops.length);
            return List.copyOf(run.transcript());
        }
    }
}
