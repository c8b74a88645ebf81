package io.bpfmapd.map;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pin state file ({@code <dataDir>/pins.json}): which pinned or imported maps the service holds,
 * under which id and name, so that a restart (or a {@code kill -9}) brings them back as they were.
 * Every change rewrites the whole file through a synced temporary file renamed over it, so a crash
 * leaves either the old file or the new one, never half of one. Thread-safe.
 */
public final class PinStore {

    private static final Logger log = LoggerFactory.getLogger(PinStore.class);
    private static final int VERSION = 1;

    /** The file's shape. */
    record Contents(int version, List<PinRecord> maps) {
    }

    private final Path file;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, PinRecord> records = new LinkedHashMap<>();

    /** Reads {@code file} if it exists; an unreadable one is moved aside (and logged), never fatal. */
    public PinStore(Path file) {
        this.file = file.toAbsolutePath();
        for (PinRecord r : read()) {
            records.put(r.id(), r);
        }
    }

    public Path file() {
        return file;
    }

    synchronized List<PinRecord> all() {
        return List.copyOf(records.values());
    }

    synchronized void put(PinRecord record) {
        Map<String, PinRecord> before = new LinkedHashMap<>(records);
        records.put(record.id(), record);
        writeOrRestore(before);
    }

    synchronized void remove(String id) {
        if (records.containsKey(id)) {
            Map<String, PinRecord> before = new LinkedHashMap<>(records);
            records.remove(id);
            writeOrRestore(before);
        }
    }

    private void writeOrRestore(Map<String, PinRecord> before) {
        try {
            write();
        } catch (IOException e) {
            records.clear();
            records.putAll(before);
            log.error("cannot write the pin state file {}: {}", file, e.toString());
            throw new PinStateNotWrittenException(file, e);
        }
    }

    private List<PinRecord> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            log.error("cannot read the pin state file {}: no pinned map is brought back ({})", file, e.toString());
            return List.of();
        }
        try {
            Contents contents = json.readValue(bytes, Contents.class);
            if (contents.version() != VERSION || contents.maps() == null) {
                throw new IllegalArgumentException("unknown version " + contents.version());
            }
            return contents.maps();
        } catch (JacksonException | IllegalArgumentException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + Instant.now().toEpochMilli());
            log.error("the pin state file {} is unreadable ({}); moved to {}, no pinned map is brought back", file,
                    e.getMessage(), aside);
            try {
                Files.move(file, aside);
            } catch (IOException moveFailed) {
                log.error("cannot move {} aside: {}", file, moveFailed.toString());
            }
            return List.of();
        }
    }

    private void write() throws IOException {
        byte[] bytes = json.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new Contents(VERSION, new ArrayList<>(records.values())));
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
