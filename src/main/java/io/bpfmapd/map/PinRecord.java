package io.bpfmapd.map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.BackendKind;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One line of the pin state file: a map the service brings back after a restart. The rules a record
 * read back must meet are {@link #defect()}'s; a record that fails them is never trusted.
 *
 * @param id        the service id, kept across restarts
 * @param name      the service's name of an imported map, or null for the kernel's
 * @param backend   where the map lives
 * @param path      where it is pinned
 * @param origin    whether the service made the pin (and removes it on delete) or imported it
 * @param createdAt when the service first held the map
 * @param intent    present while the service is making the pin and has not confirmed it: written
 *                  before BPF_OBJ_PIN (or the emulation's link), removed once the pin exists, so a
 *                  crash between the two leaves a record the next start reconciles, never an orphan pin
 * @param access    how an import opened the pin, brought back the same way (a sidecar without
 *                  capabilities cannot reopen it read-write); absent for READ_WRITE, as in older files
 */
record PinRecord(String id, String name, BackendKind backend, String path, Origin origin, Instant createdAt,
                 @JsonInclude(JsonInclude.Include.NON_NULL) Intent intent,
                 @JsonInclude(JsonInclude.Include.NON_NULL) Access access) {

    enum Origin {
        /** The service pinned a map it created: DELETE removes the pin. */
        PINNED,
        /** Another program pinned it and the service imported it: DELETE leaves the pin. */
        IMPORTED
    }

    /**
     * A pin about to be made.
     *
     * @param mapId the kernel map id of the map being pinned: at the next start, a kernel pin at the
     *              path is the service's only if it holds this map (kernel map ids are unique while the
     *              kernel runs, and a reboot empties bpffs). The emulation's ids are per process and
     *              not compared.
     */
    record Intent(long mapId) {
    }

    /** A record of a pin that exists (no intent). */
    PinRecord(String id, String name, BackendKind backend, String path, Origin origin, Instant createdAt) {
        this(id, name, backend, path, origin, createdAt, null, null);
    }

    PinRecord(String id, String name, BackendKind backend, String path, Origin origin, Instant createdAt,
              Intent intent) {
        this(id, name, backend, path, origin, createdAt, intent, null);
    }

    /** READ_WRITE unless the record says otherwise. */
    Access accessOrDefault() {
        return access == null ? Access.READ_WRITE : access;
    }

    PinRecord withAccess(Access access) {
        return new PinRecord(id, name, backend, path, origin, createdAt, intent,
                access == Access.READ_WRITE ? null : access);
    }

    boolean pending() {
        return intent != null;
    }

    PinRecord withIntent(Intent intent) {
        return new PinRecord(id, name, backend, path, origin, createdAt, intent, access);
    }

    /**
     * Why this record cannot be trusted, or empty when it meets the rules: an id in the service's form
     * (a UUID, as the service makes them), a backend, an origin and a creation time, an absolute and
     * normal path (as the service writes them), a name that is absent or not blank, and an intent only
     * on a pin the service makes.
     */
    Optional<String> defect() {
        if (id == null) {
            return Optional.of("no id");
        }
        try {
            if (!UUID.fromString(id).toString().equals(id)) {
                return Optional.of("the id is not a UUID in lower case");
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("the id is not a UUID");
        }
        if (backend == null) {
            return Optional.of("no backend");
        }
        if (origin == null) {
            return Optional.of("no origin");
        }
        if (createdAt == null) {
            return Optional.of("no createdAt");
        }
        if (name != null && name.isBlank()) {
            return Optional.of("a blank name");
        }
        if (path == null) {
            return Optional.of("no path");
        }
        try {
            Path p = Path.of(path);
            if (!p.isAbsolute() || !p.normalize().toString().equals(path)) {
                return Optional.of("the path is not absolute and normal");
            }
        } catch (InvalidPathException e) {
            return Optional.of("the path is not a path (" + e.getReason() + ")");
        }
        if (intent != null && origin != Origin.PINNED) {
            return Optional.of("an intent on a map the service did not pin");
        }
        return Optional.empty();
    }
}
