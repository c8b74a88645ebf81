package io.bpfmapd.map;

import io.bpfmapd.testing.DirectoryTree;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.kernel.KernelBackend;
import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.map.PinRecord.Origin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pin recovery on the kernel: BPF_OBJ_PIN in a directory of bpffs. A kernel pin nobody knows keeps its
 * map alive until reboot, and bpffs is shared with other programs, so an intent completes only for the
 * map it names.
 */
@RequiresKernel
class KernelPinRecoveryTest extends PinRecoveryContract {

    static Path root;

    @TempDir
    Path data;

    @BeforeAll
    static void bpffsDir() throws IOException {
        root = Files.createDirectory(PinDir.path("recovery"));
    }

    @AfterAll
    static void removeDir() throws IOException {
        DirectoryTree.delete(root);
    }

    @Override
    PinSide side() {
        return PinSide.kernel(root, data);
    }

    @Override
    void occupy(Path path) {
        try (KernelBackend other = new KernelBackend()) {
            BpfMap map = other.create(new MapSpec("other", MapType.ARRAY, 4, 8, 4, 0, false));
            map.pin(path);
            map.close();
        }
    }

    @Test
    void anIntentThatFindsAnotherProgramsMapLeavesThatPinAlone() throws IOException {
        Path target = root.resolve("foreign");
        try (Run first = start()) {
            String id = first.create();
            first.store.put(new PinRecord(id, null, side().kind(), target.toString(), Origin.PINNED,
                    first.maps.get(id).createdAt()).withIntent(new PinRecord.Intent(first.maps.get(id).info().id())));
        }
        // The service's map died with it; another program pinned its own at the name.
        occupy(target);
        try (Run next = start()) {
            assertThat(next.maps.list()).isEmpty();
            assertThat(next.store.all()).isEmpty();
            assertThat(Files.exists(target)).as("another program's pin is not the service's to remove").isTrue();
        } finally {
            Files.deleteIfExists(target);
        }
    }

}
