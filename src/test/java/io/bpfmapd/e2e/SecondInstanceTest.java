package io.bpfmapd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfmapd.backend.emulated.DataDirLockedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A second instance started on a data directory a running one holds fails to start, says why and
 * which directory, and touches nothing: the first one's map files and pins.json stay as they were.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecondInstanceTest {

    @TempDir
    Path data;

    ServiceRun start() {
        return ServiceRun.start("bpfmapd.emulated.data-dir=" + data, "bpfmapd.kernel.enabled=false");
    }

    static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void failsClearlyBeforeItSweepsOrRewritesAnything(CapturedOutput output) throws IOException {
        try (ServiceRun first = start()) {
            String pinned = first.api.create("pinned", "EMULATED");
            assertThat(first.api.pin(pinned, "pinned").status()).isEqualTo(200);
            String live = first.api.create("live", "EMULATED");
            first.api.write(live, 3, 42);
            List<Path> anon = listing(data.resolve("anon"));
            assertThat(anon).hasSize(2);
            byte[] pins = Files.readAllBytes(data.resolve("pins.json"));

            assertThatThrownBy(this::start).hasRootCauseInstanceOf(DataDirLockedException.class);

            assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                    .contains("the data directory " + data.toRealPath() + " is in use by another bpfmapd instance")
                    .contains("bpfmapd.emulated.data-dir");
            assertThat(listing(data.resolve("anon"))).as("the running instance's map files").isEqualTo(anon);
            assertThat(Files.readAllBytes(data.resolve("pins.json"))).isEqualTo(pins);
            assertThat(first.api.read(live, 3)).isEqualTo(42);
            assertThat(first.http.get("/api/v1/maps").<List<String>>json("$[*].id")).containsExactlyInAnyOrder(pinned, live);
        }
        try (ServiceRun next = start()) {
            assertThat(next.http.get("/api/v1/maps").<List<String>>json("$[*].id")).hasSize(1);
        }
    }
}
