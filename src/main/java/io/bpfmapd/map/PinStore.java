package io.bpfmapd.map;

import io.bpfmapd.web.LogValue;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pin state file ({@code <dataDir>/pins.json}): which pinned or imported maps the service holds,
 * under which id and name, so that a restart (or a {@code kill -9}) brings them back as they were.
 * Every change rewrites the whole file through a synced temporary file renamed over it, so a crash
 * leaves either the old file or the new one, never half of one. Thread-safe.
 * <p>
 * Nothing read back is trusted unchecked: a file that is not JSON of this version is moved aside whole
 * ({@code pins.json.unreadable-<millis>}); in a readable one each record must meet
 * {@link PinRecord#defect()}'s rules, and no two may share an id or a path. A record that fails is
 * logged (one WARN line: its index, id, path and why) and left out; the file as it was is kept as
 * {@code pins.json.rejected-<millis>} and {@code pins.json} is rewritten without it. Never fatal.
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

    synchronized Optional<PinRecord> get(String id) {
        return Optional.ofNullable(records.get(id));
    }

    /** Puts {@code previous} back under {@code id}, or removes the record when there was none. */
    synchronized void reset(String id, Optional<PinRecord> previous) {
        if (previous.isPresent()) {
            put(previous.get());
        } else {
            remove(id);
        }
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
            write(records.values());
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
        JsonNode maps;
        try {
            JsonNode root = json.readTree(bytes);
            if (root == null || !root.isObject() || !root.path("version").isInt()
                    || root.path("version").intValue() != VERSION) {
                throw new IllegalArgumentException("not a version " + VERSION + " pin state");
            }
            maps = root.path("maps");
            if (!maps.isArray()) {
                throw new IllegalArgumentException("no \"maps\" array");
            }
        } catch (JacksonException | IllegalArgumentException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + Instant.now().toEpochMilli());
            log.error("the pin state file {} is unreadable ({}); moved to {}, no pinned map is brought back", file,
                    LogValue.of(e.getMessage()), aside);
            try {
                Files.move(file, aside);
            } catch (IOException moveFailed) {
                log.error("cannot move {} aside: {}", file, moveFailed.toString());
            }
            return List.of();
        }
        List<PinRecord> accepted = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        Map<String, Integer> paths = new HashMap<>();
        int rejected = 0;
        for (int i = 0; i < maps.size(); i++) {
            JsonNode node = maps.get(i);
            PinRecord r = null;
            String defect;
            try {
                r = node.isObject() ? json.treeToValue(node, PinRecord.class) : null;
                defect = r == null ? "not an object" : r.defect().orElse(null);
            } catch (JacksonException e) {
                defect = "unreadable: " + e.getOriginalMessage();
            }
            if (defect == null) {
                Integer sameId = ids.putIfAbsent(r.id(), i);
                Integer samePath = paths.putIfAbsent(r.backend() + ":" + r.path(), i);
                if (sameId != null) {
                    defect = "its id is record #" + sameId + "'s";
                } else if (samePath != null) {
                    defect = "its path is record #" + samePath + "'s: one pin is one map";
                }
            }
            if (defect != null) {
                rejected++;
                log.warn("pin state file {}: record #{} (id {}, path {}) is not trusted and not brought back: {}", file,
                        i, LogValue.of(text(node, "id")), LogValue.of(text(node, "path")), LogValue.of(defect));
            } else {
                accepted.add(r);
            }
        }
        if (rejected > 0) {
            setAside(accepted, rejected);
        }
        return accepted;
    }

    /** Keeps the file as it was for the operator, then rewrites it with the records that passed. */
    private void setAside(List<PinRecord> accepted, int rejected) {
        Path aside = file.resolveSibling(file.getFileName() + ".rejected-" + Instant.now().toEpochMilli());
        try {
            Files.copy(file, aside, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            log.error("cannot keep {} as {} ({}): it stays as it is, its {} rejected record(s) untrusted", file, aside,
                    e.toString(), rejected);
            return;
        }
        try {
            write(accepted);
            log.info("pin state file {}: {} record(s) left out; the file as it was is kept as {}", file, rejected, aside);
        } catch (IOException e) {
            log.error("cannot rewrite {} without its {} rejected record(s) ({}); they stay in it, untrusted", file,
                    rejected, e.toString());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? "-" : value.isString() ? value.stringValue() : value.toString();
    }

    private void write(Collection<PinRecord> all) throws IOException {
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Contents(VERSION, new ArrayList<>(all)));
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
