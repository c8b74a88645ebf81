package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.testing.Bpftool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.bpfmapd.backend.Errno.EINVAL;
import static io.bpfmapd.backend.Errno.ENOENT;
import static io.bpfmapd.backend.Errno.EPERM;
import static io.bpfmapd.backend.kernel.KernelSpecs.assertErrno;
import static io.bpfmapd.backend.kernel.KernelSpecs.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kernel backend and bpftool, two independent users of the same kernel maps, agree on everything. */
@RequiresKernel
class BpftoolInteropTest {

    private final KernelBackend backend = new KernelBackend();
    private final List<Path> pins = new ArrayList<>();

    @BeforeEach
    void requirePeers() {
        Bpftool.require();
        PinDir.requireBpffs();
    }

    @AfterEach
    void cleanUp() throws Exception {
        backend.close();
        for (Path pin : pins) {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void aMapBpftoolCreatedAndPinnedIsOpenedAndRead() {
        Path pin = bpftoolArray("peer", 16, MapFlag.MMAPABLE.bit());
        Bpftool.update(pin, 1, u64(42));
        try (BpfMap map = backend.open(pin)) {
            MapInfo info = map.info();
            assertThat(info.spec().type()).isEqualTo(MapType.ARRAY);
            assertThat(info.spec().name()).isEqualTo("peer");
            assertThat(info.spec().keySize()).isEqualTo(4);
            assertThat(info.spec().valueSize()).isEqualTo(8);
            assertThat(info.spec().maxEntries()).isEqualTo(16);
            assertThat(info.spec().flags()).isEqualTo(MapFlag.MMAPABLE.bit());
            assertThat(info.pinnedPath()).contains(pin);
            assertThat(Bpftool.run("-j", "map", "show", "pinned", pin.toString())).contains("\"id\":" + info.id() + ",");
            assertThat(u64(map.lookup(1))).isEqualTo(42);
            try (Mapping m = map.mmap(0, 4096, false)) {
                assertThat(m.readLong(8)).isEqualTo(42);
            }
        }
    }

    @Test
    void bpftoolSeesWhatAMappingWroteAndTheMappingSeesWhatBpftoolUpdated() {
        Path pin = bpftoolArray("both", 16, MapFlag.MMAPABLE.bit());
        try (BpfMap map = backend.open(pin); Mapping m = map.mmap(0, 4096, true)) {
            m.writeLong(8 * 5, 0x1122334455667788L);
            assertThat(u64(Bpftool.lookup(pin, 5))).isEqualTo(0x1122334455667788L);
            Bpftool.update(pin, 6, u64(600));
            assertThat(m.readLong(8 * 6)).isEqualTo(600);
        }
    }

    @Test
    void aMapBpftoolFrozeRefusesAWritableMappingWithEperm() {
        Path pin = bpftoolArray("frozen", 16, MapFlag.MMAPABLE.bit());
        Bpftool.run("map", "freeze", "pinned", pin.toString());
        try (BpfMap map = backend.open(pin)) {
            assertThat(map.info().frozen()).isTrue();
            assertErrno(EPERM, () -> map.mmap(0, 4096, true));
            map.mmap(0, 4096, false).close();
        }
    }

    @Test
    void bpftoolShowsFrozenAfterTheBackendFroze() {
        Path pin = PinDir.path("pinned_by_us");
        try (BpfMap map = backend.create(KernelSpecs.mmapable(8, 16))) {
            map.pin(pin);
            pins.add(pin);
            assertThat(map.info().pinnedPath()).contains(pin);
            assertThat(Bpftool.run("map", "show", "pinned", pin.toString())).doesNotContain("frozen");
            map.freeze();
            assertThat(Bpftool.run("map", "show", "pinned", pin.toString())).contains("frozen");
            assertThat(Bpftool.run("-j", "map", "show", "pinned", pin.toString())).contains("\"frozen\":1");
        }
    }

    @Test
    void aPinnedMapOutlivesTheHandleThatPinnedIt() {
        Path pin = PinDir.path("outlives");
        try (BpfMap map = backend.create(KernelSpecs.mmapable(8, 16))) {
            map.update(3, u64(33), io.bpfmapd.backend.UpdateFlag.ANY);
            map.pin(pin);
            pins.add(pin);
        }
        assertThat(u64(Bpftool.lookup(pin, 3))).isEqualTo(33);
    }

    @Test
    void openRefusesWhatIsNotAnArray() {
        Path hash = PinDir.path("hash");
        Bpftool.run("map", "create", hash.toString(), "type", "hash", "key", "4", "value", "8", "entries", "4", "name", "h");
        pins.add(hash);
        int before = BpfResources.countFds();
        assertThatThrownBy(() -> backend.open(hash))
                .isInstanceOfSatisfying(io.bpfmapd.backend.BpfException.class, e -> {
                    assertThat(e.errno()).isEqualTo(EINVAL);
                    assertThat(e.getMessage()).contains("not an array");
                });
        assertThat(BpfResources.countFds()).as("the refused map's fd is closed").isEqualTo(before);
        assertErrno(ENOENT, () -> backend.open(PinDir.path("missing")));
    }

    private Path bpftoolArray(String name, int entries, int flags) {
        Path pin = PinDir.path(name);
        Bpftool.run("map", "create", pin.toString(), "type", "array", "key", "4", "value", "8",
                "entries", Integer.toString(entries), "name", name, "flags", Integer.toString(flags));
        pins.add(pin);
        return pin;
    }
}
