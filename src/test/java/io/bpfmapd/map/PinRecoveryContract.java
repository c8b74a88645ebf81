package io.bpfmapd.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.map.PinRecord.Origin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pin and its record are one recoverable step: a stop between them (a {@code kill -9}, stood in for
 * by an Error thrown from {@link PinService#betweenPinAndRecord}, which no rollback catches) leaves an
 * intent in pins.json that the next start reconciles, never a pin nobody knows that answers 409 EEXIST.
 * One subclass per backend; each "run" is a backend, map service, store and pin service on one state
 * file, closed without unpinning as a process end would.
 */
abstract class PinRecoveryContract {

    /** Stands in for the process dying at that point: no catch in the service handles it. */
    static final class SimulatedKill extends Error {
    }

    final List<Run> runs = new java.util.ArrayList<>();

    /** The backend this subclass tests. */
    abstract PinSide side();

    /** Puts a map that is not the service's at {@code path}, as another program would. */
    abstract void occupy(Path path);

    final class Run implements AutoCloseable {
        final BpfBackend backend = side().newBackend();
        final MapService maps = side().mapService(backend, new SimpleMeterRegistry());
        final PinStore store = new PinStore(side().stateFile());
        final PinService pins = side().pinService(maps, store);
        boolean closed;

        Run() {
            pins.restore();
        }

        String create() {
            String id = maps.create(new CreateMapRequest("recovery", MapType.ARRAY, 4, 8, 4, null, side().kind(), null)).id();
            maps.withMap(id, h -> {
                h.update(1, u64(0xC0FFEEL), UpdateFlag.ANY);
                return null;
            });
            return id;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                maps.closeAll();
                backend.close();
            }
        }
    }

    Run start() {
        Run run = new Run();
        runs.add(run);
        return run;
    }

    @AfterEach
    void closeRuns() {
        runs.forEach(Run::close);
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
    }

    /** An agent's pin: a map made and pinned through the run's backend, whose handle is then closed. */
    static void agentPin(Run run, Path path, MapType type, int flags, int index, long value) {
        BpfMap agent = run.backend.create(new MapSpec("agent", type, 4, 8, 6, flags, false));
        try {
            byte[] v = new byte[(int) agent.geometry().valueSize()];
            System.arraycopy(u64(value), 0, v, 0, 8);
            agent.update(index, v, UpdateFlag.ANY);
            agent.pin(path);
        } finally {
            agent.close();
        }
    }

    @Test
    void aReadOnlyImportReadsThroughBatchesRefusesWritesAndMappingsAndComesBackReadOnly() throws IOException {
        Path pin = side().pinRoot().resolve("agent_ro");
        String id;
        try (Run first = start()) {
            agentPin(first, pin, MapType.ARRAY, MapFlag.MMAPABLE.bit(), 3, 0xBEEFL);
            MapService.MapView view = first.pins.importMap(new ImportMapRequest(pin.toString(), "ro", side().kind(), Access.READ_ONLY));
            id = view.id();
            assertThat(view.access()).isEqualTo(Access.READ_ONLY);
            // MMAPABLE, but a read-only fd is never mapped: the range and the stream come from batches.
            assertThat(first.maps.range(id, 2, 2)).containsExactly(u64(0), u64(0xBEEFL));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            MapService.DataStream stream = first.maps.dataStream(id, "test");
            stream.body().writeTo(out);
            assertThat(out.size()).isEqualTo(stream.length());
            assertThat(java.util.Arrays.copyOfRange(out.toByteArray(), 24, 32)).isEqualTo(u64(0xBEEFL));
            assertErrno(Errno.EPERM, () -> first.maps.update(id, 0, u64(1), UpdateFlag.ANY));
            assertErrno(Errno.EPERM, () -> first.maps.freeze(id));
            assertErrno(Errno.EINVAL, () -> first.maps.mmap(id, 0, 4096, false));
            assertErrno(Errno.EACCES, () -> first.maps.mmap(id, 0, 4096, true));
            assertThat(Files.readString(side().stateFile())).contains("\"access\" : \"READ_ONLY\"");
        }
        try (Run next = start()) {
            assertThat(next.maps.get(id).access()).as("brought back as it was imported").isEqualTo(Access.READ_ONLY);
            assertErrno(Errno.EPERM, () -> next.maps.update(id, 0, u64(1), UpdateFlag.ANY));
            assertThat(next.maps.lookup(id, 3)).isEqualTo(u64(0xBEEFL));
            next.maps.delete(id);
            assertThat(Files.exists(pin)).as("an imported pin stays").isTrue();
            next.backend.open(pin).unpin(pin);
        }
    }

    @Test
    void aPerCpuRangeIsReadInBatchesWithASlotPerCpu() {
        Path pin = side().pinRoot().resolve("agent_percpu");
        try (Run run = start()) {
            agentPin(run, pin, MapType.PERCPU_ARRAY, 0, 5, 9);
            String id = run.pins.importMap(new ImportMapRequest(pin.toString(), null, side().kind(), Access.READ_ONLY)).id();
            List<byte[]> values = run.maps.range(id, 4, 2);
            assertThat(values).hasSize(2);
            assertThat(values.get(1)).hasSize((int) run.maps.geometry(id).valueSize()).startsWith(u64(9));
            assertThat(values.get(1)).isEqualTo(run.maps.lookup(id, 5));
            run.maps.delete(id);
            run.backend.open(pin).unpin(pin);
        }
    }

    private static void assertErrno(Errno errno, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(errno));
    }

    @Test
    void aStopBetweenThePinAndItsRecordIsCompletedAtTheNextStart() throws IOException {
        Path target = side().pinRoot().resolve("interrupted");
        String id;
        try (Run first = start()) {
            id = first.create();
            first.pins.betweenPinAndRecord = () -> {
                throw new SimulatedKill();
            };
            assertThatThrownBy(() -> first.pins.pin(id, new PinMapRequest("interrupted"))).isInstanceOf(SimulatedKill.class);
            assertThat(Files.exists(target)).as("the pin was made").isTrue();
            assertThat(Files.readString(side().stateFile())).as("only the intent is on disk").contains("\"intent\"");
        }

        try (Run next = start()) {
            MapService.MapView back = next.maps.get(id);
            assertThat(back.info().pinnedPath()).contains(target);
            assertThat(next.maps.lookup(id, 1)).isEqualTo(u64(0xC0FFEEL));
            assertThat(next.store.all()).singleElement().satisfies(r -> {
                assertThat(r.pending()).as("the intent is completed").isFalse();
                assertThat(r.origin()).isEqualTo(Origin.PINNED);
            });
            assertThat(Files.readString(side().stateFile())).doesNotContain("\"intent\"");

            next.maps.delete(id);
            assertThat(Files.exists(target)).as("the service's own pin goes with its map").isFalse();
            assertThat(next.store.all()).isEmpty();
        }
    }

    @Test
    void anIntentWhosePinWasNeverMadeIsDroppedAndTheNameIsFree() throws IOException {
        Path target = side().pinRoot().resolve("never");
        try (Run first = start()) {
            String id = first.create();
            // A stop between steps 1 and 2: the intent is written, the pin not made.
            first.store.put(new PinRecord(id, null, side().kind(), target.toString(), Origin.PINNED,
                    first.maps.get(id).createdAt()).withIntent(new PinRecord.Intent(first.maps.get(id).info().id())));
        }

        try (Run next = start()) {
            assertThat(next.maps.list()).isEmpty();
            assertThat(next.store.all()).isEmpty();
            String other = next.create();
            next.pins.pin(other, new PinMapRequest("never"));
            assertThat(next.maps.get(other).info().pinnedPath()).contains(target);
            next.maps.delete(other);
        }
    }

    @Test
    void aRefusedPinTakesItsIntentBack() throws IOException {
        Path target = side().pinRoot().resolve("taken");
        occupy(target);
        try (Run run = start()) {
            String id = run.create();
            assertThatThrownBy(() -> run.pins.pin(id, new PinMapRequest("taken")))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
            assertThat(run.store.all()).isEmpty();
            assertThat(new PinStore(side().stateFile()).all()).as("on disk too").isEmpty();
        } finally {
            Files.deleteIfExists(target);
        }
    }
}
