package io.bpfmapd.map;

import io.bpfmapd.backend.BackendKind;
import java.time.Instant;

/**
 * One line of the pin state file: a map the service brings back after a restart.
 *
 * @param id        the service id, kept across restarts
 * @param name      the service's name of an imported map, or null for the kernel's
 * @param backend   where the map lives
 * @param path      where it is pinned
 * @param origin    whether the service made the pin (and removes it on delete) or imported it
 * @param createdAt when the service first held the map
 */
record PinRecord(String id, String name, BackendKind backend, String path, Origin origin, Instant createdAt) {

    enum Origin {
        /** The service pinned a map it created: DELETE removes the pin. */
        PINNED,
        /** Another program pinned it and the service imported it: DELETE leaves the pin. */
        IMPORTED
    }
}
