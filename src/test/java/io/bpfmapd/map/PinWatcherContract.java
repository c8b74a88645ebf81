package io.bpfmapd.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.BpfBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * bpfmapd.kernel.watch: pins that another program makes, removes and remakes under a watched glob
 * after the service started are imported, forgotten and switched to within a few intervals, through the
 * watcher's own schedule. One subclass per backend; the "agent" is another process for the kernel.
 */
abstract class PinWatcherContract {

    static final Duration INTERVAL = Duration.ofMillis(150);
    /** Generous for a loaded machine; the watcher needs one interval and a scan. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    /** The backend this subclass tests. */
    abstract PinSide side();

    /** Another program makes an 8-byte array of 4 entries, sets element {@code index} to {@code value} and pins it. */
    abstract void agentPins(Path path, int index, long value);

    BpfBackend backend;
    MapService maps;
    PinService pins;
    SimpleMeterRegistry meters;
    PinWatcher watcher;

    @BeforeEach
    void startService() {
        backend = side().newBackend();
        meters = new SimpleMeterRegistry();
        maps = side().mapService(backend, meters);
        pins = side().pinService(maps, new PinStore(side().stateFile()));
    }

    @AfterEach
    void stopService() {
        if (watcher != null) {
            watcher.stop();
        }
        maps.closeAll();
        backend.close();
    }

    void watch(Access access, String... globs) {
        watcher = new PinWatcher(side().kind(), List.of(globs), INTERVAL, access, maps, pins, side().roots(), meters);
        watcher.start();
    }

    double events(String event) {
        return meters.counter("bpfmapd.watch.events", "event", event).count();
    }

    Optional<MapService.MapView> heldAt(Path pin) {
        return maps.list().stream().filter(v -> v.info().pinnedPath().equals(Optional.of(pin))).findFirst();
    }

    static <T> T await(String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("not within " + PATIENCE + ": " + what);
    }

    static void awaitTrue(String what, Supplier<Boolean> probe) {
        await(what, () -> probe.get() ? Optional.of(true) : Optional.empty());
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
    }

    @Test
    void aPinMadeAfterTheStartIsImportedGoesWithItsPinAndIsSwitchedWhenRepinned() throws IOException {
        watch(Access.READ_WRITE, "agent/**");
        Path dir = Files.createDirectories(side().pinRoot().resolve("agent").resolve("node"));
        Path pin = dir.resolve("counters");
        agentPins(pin, 2, 41);

        MapService.MapView first = await("the pin is imported", () -> heldAt(pin));
        assertThat(maps.lookup(first.id(), 2)).isEqualTo(u64(41));
        awaitTrue("the import is counted", () -> events("imported") == 1);

        // The agent restarts: a new map (another id) at the same path.
        Files.delete(pin);
        agentPins(pin, 2, 42);
        MapService.MapView second = await("the new map is switched to",
                () -> heldAt(pin).filter(v -> v.info().id() != first.info().id()));
        assertThat(maps.lookup(second.id(), 2)).isEqualTo(u64(42));
        assertThat(maps.list()).extracting(MapService.MapView::id).doesNotContain(first.id());
        // A switch is seen in one scan, or as a pin that went and came back in two.
        awaitTrue("a switch or a forget-and-import is counted",
                () -> events("switched") == 1 || (events("forgotten") == 1 && events("imported") == 2));

        double forgottenBefore = events("forgotten");
        Files.delete(pin);
        awaitTrue("the map of a removed pin is forgotten", () -> heldAt(pin).isEmpty());
        awaitTrue("the forget is counted", () -> events("forgotten") == forgottenBefore + 1);
        assertThat(maps.list()).isEmpty();
        assertThat(Files.readString(side().stateFile())).doesNotContain(second.id());
    }

    @Test
    void onlyPinsUnderTheGlobsAreImportedAndReadOnlyWhenAsked() throws Exception {
        watch(Access.READ_ONLY, "agent/*");
        Path outside = Files.createDirectories(side().pinRoot().resolve("other")).resolve("m");
        Path deeper = Files.createDirectories(side().pinRoot().resolve("agent").resolve("deeper")).resolve("m");
        Path inside = side().pinRoot().resolve("agent").resolve("m");
        agentPins(outside, 0, 1);
        agentPins(deeper, 0, 2);
        agentPins(inside, 0, 3);

        MapService.MapView view = await("the pin under the glob is imported", () -> heldAt(inside));
        assertThat(view.access()).isEqualTo(Access.READ_ONLY);
        assertThat(maps.lookup(view.id(), 0)).isEqualTo(u64(3));
        // Several scans later the others are still not the service's.
        Thread.sleep(4 * INTERVAL.toMillis());
        assertThat(maps.list()).singleElement().extracting(MapService.MapView::id).isEqualTo(view.id());
        Files.delete(outside);
        Files.delete(deeper);
        Files.delete(inside);
    }

    @Test
    void aMapDeletedThroughTheApiIsNotImportedAgainUntilAnotherMapIsPinnedThere() throws Exception {
        watch(Access.READ_WRITE, "agent/*");
        Path pin = Files.createDirectories(side().pinRoot().resolve("agent")).resolve("m");
        agentPins(pin, 0, 5);
        MapService.MapView view = await("imported", () -> heldAt(pin));
        maps.delete(view.id());
        Thread.sleep(4 * INTERVAL.toMillis());
        assertThat(maps.list()).as("the operator's delete stands").isEmpty();

        Files.delete(pin);
        agentPins(pin, 0, 6);
        MapService.MapView again = await("a new map at the pin is imported", () -> heldAt(pin));
        assertThat(maps.lookup(again.id(), 0)).isEqualTo(u64(6));
        Files.delete(pin);
    }
}
