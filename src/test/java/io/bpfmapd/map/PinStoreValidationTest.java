package io.bpfmapd.map;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.map.PinRecord.Origin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every record of a readable pin state file is checked before it is trusted: a bad one is one WARN
 * line and is left out (the file as it was kept aside), the good ones are kept, and nothing fails.
 */
class PinStoreValidationTest {

    static final String GOOD = "00000000-0000-4000-8000-000000000001";
    static final String OTHER = "00000000-0000-4000-8000-000000000002";

    @TempDir
    Path dir;
    Path file;
    final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(PinStore.class);

    @BeforeEach
    void capture() {
        file = dir.resolve("pins.json");
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    static String record(String id, String path, String createdAt) {
        return "{\"id\": " + id + ", \"name\": null, \"backend\": \"EMULATED\", \"path\": " + path
                + ", \"origin\": \"PINNED\", \"createdAt\": " + createdAt + "}";
    }

    static String good(String id, String path) {
        return record("\"" + id + "\"", "\"" + path + "\"", "\"2026-01-02T03:04:05Z\"");
    }

    PinStore storeOf(String... records) throws IOException {
        Files.writeString(file, "{\"version\": 1, \"maps\": [" + String.join(", ", records) + "]}");
        return new PinStore(file);
    }

    List<String> warnings() {
        return lines.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    List<Path> setAside() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("pins.json.rejected-")).toList();
        }
    }

    @Test
    void aNullRecordIsLeftOutAndTheStartGoesOn() throws IOException {
        PinStore store = storeOf("null", good(GOOD, "/data/pins/a"));

        assertThat(store.all()).extracting(PinRecord::id).containsExactly(GOOD);
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("record #0").contains("not an object"));
        assertThat(setAside()).singleElement().satisfies(p -> assertThat(Files.readString(p)).contains("null"));
        assertThat(new PinStore(file).all()).as("rewritten without it").extracting(PinRecord::id).containsExactly(GOOD);
    }

    @Test
    void aRecordWithoutCreatedAtIsNotTrusted() throws IOException {
        PinStore store = storeOf(record("\"" + OTHER + "\"", "\"/data/pins/b\"", "null"), good(GOOD, "/data/pins/a"));

        assertThat(store.all()).extracting(PinRecord::id).containsExactly(GOOD);
        assertThat(warnings()).singleElement().asString().contains("record #0", OTHER, "/data/pins/b", "no createdAt");
    }

    @Test
    void twoRecordsOnOnePathAreOneMap() throws IOException {
        PinStore store = storeOf(good(GOOD, "/data/pins/a"), good(OTHER, "/data/pins/a"));

        assertThat(store.all()).extracting(PinRecord::id).containsExactly(GOOD);
        assertThat(warnings()).singleElement().asString().contains("record #1", OTHER, "record #0");
    }

    @Test
    void aRepeatedIdIsNotTrusted() throws IOException {
        PinStore store = storeOf(good(GOOD, "/data/pins/a"), good(GOOD, "/data/pins/b"));

        assertThat(store.all()).extracting(PinRecord::path).containsExactly("/data/pins/a");
        assertThat(warnings()).singleElement().asString().contains("record #1", "id");
    }

    @Test
    void recordsOfTheWrongShapeAreEachLeftOutAlone() throws IOException {
        PinStore store = storeOf(
                "42",
                "{\"id\": \"" + OTHER + "\", \"backend\": \"NOPE\", \"path\": \"/x\", \"origin\": \"PINNED\", "
                        + "\"createdAt\": \"2026-01-02T03:04:05Z\"}",
                record("\"../../etc\"", "\"/data/pins/c\"", "\"2026-01-02T03:04:05Z\""),
                record("\"" + OTHER + "\"", "\"pins/relative\"", "\"2026-01-02T03:04:05Z\""),
                record("\"" + OTHER + "\"", "\"/data/pins/../escape\"", "\"2026-01-02T03:04:05Z\""),
                record("\"" + OTHER + "\"", "\"/data/pins/d\"", "\"yesterday\""),
                good(GOOD, "/data/pins/a"));

        assertThat(store.all()).extracting(PinRecord::id).containsExactly(GOOD);
        assertThat(warnings()).filteredOn(w -> w.contains("is not trusted")).hasSize(6);
    }

    @Test
    void aPathWithANewlineCannotSplitTheLogLine() throws IOException {
        PinStore store = storeOf(record("null", "\"/data/pins/x\\nINFO forged line\"", "\"2026-01-02T03:04:05Z\""));

        assertThat(store.all()).isEmpty();
        assertThat(warnings()).singleElement().satisfies(w -> {
            assertThat(w).doesNotContain("\n").contains("/data/pins/x\\nINFO forged line").contains("no id");
        });
    }

    @Test
    void aValidFileIsNeitherRewrittenNorSetAside() throws IOException {
        PinStore store = storeOf(good(GOOD, "/data/pins/a"));
        store.put(new PinRecord(OTHER, "n", BackendKind.KERNEL, "/sys/fs/bpf/n", Origin.IMPORTED, Instant.EPOCH));

        assertThat(new PinStore(file).all()).hasSize(2);
        assertThat(warnings()).isEmpty();
        assertThat(setAside()).isEmpty();
    }

    @Test
    void anIntentSurvivesTheFileAndOnlyOnAPinTheServiceMakes() throws IOException {
        PinRecord intent = new PinRecord(GOOD, null, BackendKind.KERNEL, "/sys/fs/bpf/a", Origin.PINNED, Instant.EPOCH)
                .withIntent(new PinRecord.Intent(77));
        new PinStore(file).put(intent);
        assertThat(Files.readString(file)).contains("\"intent\"", "77");
        assertThat(new PinStore(file).all()).containsExactly(intent);

        PinStore imported = storeOf("{\"id\": \"" + OTHER + "\", \"backend\": \"KERNEL\", \"path\": \"/sys/fs/bpf/b\", "
                + "\"origin\": \"IMPORTED\", \"createdAt\": \"2026-01-02T03:04:05Z\", \"intent\": {\"mapId\": 3}}");
        assertThat(imported.all()).isEmpty();
        assertThat(warnings()).singleElement().asString().contains("intent");
    }
}
