package io.bpfmapd.backend.kernel.differential;

import io.bpfmapd.testing.DirectoryTree;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.backend.kernel.BpfResources;
import io.bpfmapd.backend.kernel.KernelAvailableExtension;
import io.bpfmapd.backend.kernel.KernelBackend;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.PropagationMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulation against the kernel on random operation sequences: create, update, lookup, delete,
 * freeze, mmap, write, read, mprotect, munmap, close, info. Every step must give the same errno or the
 * same bytes on both; on a divergence jqwik shrinks the sequence and prints the smallest one. Tries:
 * at least {@value KernelGate#CI_TRIES} with {@code CI=true}, else {@code -Dbpfmapd.differential.tries} (default
 * {@value KernelGate#LOCAL_TRIES}).
 */
@AddLifecycleHook(value = KernelGate.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class KernelVsEmulatedProperties {

    private static final long PAGE = 4096;

    private static KernelBackend kernel;
    private static EmulatedBackend emulated;
    private static Path dataDir;
    private static BpfResources before;

    @BeforeContainer
    static void startBackends() throws IOException {
        KernelAvailableExtension.gate();
        before = BpfResources.snapshot();
        kernel = new KernelBackend();
        dataDir = Files.createTempDirectory("bpfmapd-differential");
        emulated = new EmulatedBackend(dataDir);
    }

    @AfterContainer
    static void stopBackends() throws IOException {
        try {
            // Each run closes what it opened; the backend's own close must find nothing left.
            if (before != null) {
                BpfResources after = BpfResources.snapshot();
                assertThat(after.bpfFds()).as("BPF fds after the differential run (before: %s)", before)
                        .isLessThanOrEqualTo(before.bpfFds());
                assertThat(after.bpfMappings()).as("BPF mappings after the differential run (before: %s)", before)
                        .isLessThanOrEqualTo(before.bpfMappings());
            }
        } finally {
            if (kernel != null) {
                kernel.close();
            }
            if (emulated != null) {
                emulated.close();
            }
            DirectoryTree.delete(dataDir);
        }
    }

    // Edge cases off: jqwik's edge cases pick the rarest values of every generator together (offset 8
    // pages, one-entry maps), which starves the sequences of live mappings.
    @Property(shrinking = ShrinkingMode.FULL, edgeCases = EdgeCasesMode.NONE)
    void theEmulationAnswersEveryStepAsTheKernelDoes(@ForAll("sequences") List<Op> ops) {
        try (DifferentialRun run = new DifferentialRun(kernel, emulated)) {
            Optional<DifferentialRun.Divergence> divergence = run.run(ops);
            assertThat(divergence)
                    .as(() -> "the emulation diverged from the kernel\n" + divergence.map(Object::toString).orElse("")
                            + "\nsteps so far (kernel answers):\n  " + String.join("\n  ", run.transcript()))
                    .isEmpty();
            // What the sequences reached, so that a generator that stopped exercising anything shows.
            List<String> answers = run.transcript();
            Statistics.label("maps created").collect(bucket(answers.stream().filter(a -> a.endsWith("-> created")).count()));
            Statistics.label("mappings made").collect(bucket(answers.stream().filter(a -> a.contains("-> mapped")).count()));
            Statistics.label("writes through a mapping").collect(bucket(answers.stream().filter(a -> a.contains("-> wrote")).count()));
            Statistics.label("freezes that succeeded").collect(bucket(answers.stream().filter(a -> a.endsWith("-> frozen")).count()));
            Statistics.label("reads that saw written bytes").collect(bucket(answers.stream()
                    .filter(a -> a.contains(": read(") && a.matches(".*-> [0-9a-f]*[1-9a-f][0-9a-f]*$")).count()));
            Statistics.label("refused steps").collect(bucket(answers.stream().filter(a -> a.contains("-> errno")).count()));
        }
    }

    /** One to three maps that work, then anything: most steps then reach a live map or mapping. */
    @Provide
    Arbitrary<List<Op>> sequences() {
        Arbitrary<List<Op>> setup = Combinators.combine(saneCreates().list().ofMinSize(1).ofMaxSize(3), mmaps().list().ofMinSize(1).ofMaxSize(4))
                .as((creates, mmaps) -> {
                    List<Op> all = new java.util.ArrayList<>(creates);
                    all.addAll(mmaps);
                    return all;
                });
        Arbitrary<List<Op>> steps = Arbitraries.frequencyOf(
                Tuple.of(6, creates()),
                Tuple.of(10, Combinators.combine(handle(), index()).as(Op.Lookup::new)),
                Tuple.of(3, Combinators.combine(handle(), Arbitraries.oneOf(Arbitraries.just((Integer) null), index()),
                        Arbitraries.of(0, 1, 2, 3, 16, 600)).as(Op.LookupBatch::new)),
                Tuple.of(10, Combinators.combine(handle(), index(), Arbitraries.integers().between(0, 255),
                        Arbitraries.of(UpdateFlag.class), Arbitraries.frequency(Tuple.of(9, 0), Tuple.of(1, 1), Tuple.of(1, -1)))
                        .as(Op.Update::new)),
                Tuple.of(2, Combinators.combine(handle(), index()).as(Op.Delete::new)),
                Tuple.of(5, handle().map(Op.Freeze::new)),
                Tuple.of(12, mmaps()),
                Tuple.of(10, Combinators.combine(handle(), Arbitraries.integers().between(0, 3 * 4096),
                        Arbitraries.integers().between(1, 24), Arbitraries.integers().between(0, 255)).as(Op.Write::new)),
                Tuple.of(8, handle().map(Op.Read::new)),
                Tuple.of(3, Combinators.combine(handle(), Arbitraries.of(true, false)).as(Op.Protect::new)),
                Tuple.of(5, handle().map(Op.Unmap::new)),
                Tuple.of(3, handle().map(Op.Close::new)),
                Tuple.of(5, handle().map(Op.Info::new)))
                .list().ofMaxSize(30);
        return Combinators.combine(setup, steps).as((a, b) -> {
            List<Op> all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return all;
        });
    }

    private static String bucket(long n) {
        return n == 0 ? "0" : n == 1 ? "1" : n <= 3 ? "2-3" : "4+";
    }

    /** Mostly maps that work, some that the kernel refuses, rarely anything at all. */
    private static Arbitrary<Op> creates() {
        // 16 TiB: refused at once by vmalloc (more than the machine's RAM), and by the emulation's limit.
        Arbitrary<Op> huge = Arbitraries.just(new Op.Create(MapType.ARRAY, 4, 4096, -1, 0, false, "m"));
        return Arbitraries.frequencyOf(Tuple.of(10, saneCreates()), Tuple.of(2, wildCreates()), Tuple.of(2, typedCreates()),
                Tuple.of(1, huge));
    }

    /**
     * Maps created with the BTF of a small struct (issue 13): special fields found, refused (two locks,
     * per-CPU, *_PROG flags) or dropped (two timers) alike, and a value size that is not the struct's.
     */
    private static Arbitrary<Op> typedCreates() {
        Arbitrary<TypedValue> typed = Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.of(TypedValue.Member.U8, TypedValue.Member.U32, TypedValue.Member.U64)),
                        Tuple.of(2, Arbitraries.of(TypedValue.Member.LOCK)), Tuple.of(2, Arbitraries.of(TypedValue.Member.TIMER)))
                .list().ofMinSize(1).ofMaxSize(4).map(TypedValue::new);
        return Combinators.combine(
                        Arbitraries.frequency(Tuple.of(6, MapType.ARRAY), Tuple.of(1, MapType.PERCPU_ARRAY)),
                        typed,
                        Arbitraries.frequency(Tuple.of(8, 0), Tuple.of(1, 8), Tuple.of(1, -4)),
                        Arbitraries.of(1, 4, 512),
                        flags(),
                        Arbitraries.frequency(Tuple.of(8, "m"), Tuple.of(1, "bad-name")))
                .as((type, value, sizeDelta, entries, flags, name) -> new Op.Create(type, 4, Math.max(1, value.size() + sizeDelta),
                        entries, flags, false, name, value));
    }

    private static Arbitrary<Op> saneCreates() {
        return Combinators.combine(
                        Arbitraries.frequency(Tuple.of(10, MapType.ARRAY), Tuple.of(1, MapType.PERCPU_ARRAY)),
                        Arbitraries.of(1, 3, 4, 5, 8, 8, 8, 12, 16, 24, 64),
                        Arbitraries.of(1, 3, 16, 511, 512, 513, 1024, 1536),
                        flags(),
                        Arbitraries.frequency(Tuple.of(15, false), Tuple.of(1, true)))
                .as((type, value, entries, flags, lock) -> new Op.Create(type, 4, value, entries, flags, lock, "m"));
    }

    /**
     * Specs the kernel refuses, or accepts only at its edges. No sizes that would make either side
     * allocate gigabytes: where the kernel runs out of memory depends on the machine, not on a rule.
     */
    private static Arbitrary<Op> wildCreates() {
        return Combinators.combine(
                        Arbitraries.of(MapType.class),
                        Arbitraries.of(4, 4, 4, 0, 8),
                        Arbitraries.of(0, 1, 8, 4096, 32768, 32769, Integer.MIN_VALUE, -1),
                        Arbitraries.of(0, 1, 4, 513),
                        Arbitraries.oneOf(flags(), Arbitraries.of(1, 1 << 6, 1 << 9, 1 << 20)),
                        Arbitraries.of(true, false),
                        Arbitraries.of("m", "", "bad-name", "x.y_Z9", "sixteen_chars_xx"))
                .as(Op.Create::new);
    }

    private static Arbitrary<Integer> flags() {
        Arbitrary<Integer> any = Arbitraries.subsetOf(MapFlag.values()).ofMaxSize(3).map(MapFlag::toBits);
        Arbitrary<Integer> mmapablePlus = Arbitraries.subsetOf(MapFlag.RDONLY, MapFlag.WRONLY, MapFlag.RDONLY_PROG,
                MapFlag.WRONLY_PROG).ofMaxSize(1).map(f -> MapFlag.toBits(f) | MapFlag.MMAPABLE.bit());
        return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(MapFlag.MMAPABLE.bit())), Tuple.of(4, mmapablePlus),
                Tuple.of(2, any));
    }

    private static Arbitrary<Op> mmaps() {
        return Combinators.combine(handle(), offsets(), lengths(), Arbitraries.frequency(Tuple.of(2, true), Tuple.of(1, false)))
                .as(Op.Mmap::new);
    }

    private static Arbitrary<Integer> handle() {
        return Arbitraries.integers().between(0, 5);
    }

    private static Arbitrary<Integer> index() {
        return Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(6, 1), Tuple.of(3, 2), Tuple.of(3, 15), Tuple.of(2, 16),
                Tuple.of(2, 511), Tuple.of(2, 512), Tuple.of(2, 1023), Tuple.of(1, 1024), Tuple.of(1, -1));
    }

    private static Arbitrary<Long> offsets() {
        return Arbitraries.frequency(Tuple.of(30, 0L), Tuple.of(4, PAGE), Tuple.of(2, 2 * PAGE), Tuple.of(1, 1L), Tuple.of(1, 8 * PAGE));
    }

    private static Arbitrary<Long> lengths() {
        return Arbitraries.frequency(Tuple.of(30, PAGE), Tuple.of(3, 2 * PAGE), Tuple.of(2, 3 * PAGE), Tuple.of(3, 100L),
                Tuple.of(1, 0L), Tuple.of(1, PAGE + 1));
    }
}
