package io.bpfmapd.backend;

import java.util.Optional;
import java.nio.file.Path;

/**
 * What a backend knows about a live map.
 *
 * @param spec              the map's blueprint, as created or as read back from the kernel
 * @param id                the kernel map id (for the emulation, an id from its own counter)
 * @param frozen            BPF_MAP_FREEZE succeeded on it
 * @param mappings          live mappings (each holds a user reference)
 * @param writableMappings  live mappings made with PROT_WRITE (the kernel's {@code writecnt})
 * @param pinnedPath        where it is pinned, if the service pinned or imported it
 */
public record MapInfo(MapSpec spec, long id, boolean frozen, int mappings, int writableMappings,
                      Optional<Path> pinnedPath) {
}
