package io.bpfmapd.export;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.limits.ResourceLimits;
import io.bpfmapd.map.BatchReads;
import io.bpfmapd.map.MapService;
import org.springframework.stereotype.Component;

/**
 * Reads a whole map for a scrape. An MMAPABLE ARRAY is read through one read-only mapping of its value
 * area, one copy of its bytes and no bpf() call per element (array_map_mmap, kernel/bpf/arraymap.c). Any
 * other map, or one whose mapping the kernel refuses (a read-only fd: EINVAL; special fields: ENOTSUPP),
 * is read by {@link #lookups} with BPF_MAP_LOOKUP_BATCH ({@link BatchReads}), a chunk of values per bpf()
 * call, never one BPF_MAP_LOOKUP_ELEM per element.
 */
@Component
class MapReader {

    private final MapService maps;
    private final ResourceLimits limits;

    MapReader(MapService maps, ResourceLimits limits) {
        this.maps = maps;
        this.limits = limits;
    }

    /**
     * @throws io.bpfmapd.map.MapNotFoundException the map is gone
     * @throws BpfException the backend's errno
     * @throws io.bpfmapd.limits.LimitExceededException no mapping slot is free (bpfmapd.limits.max-sessions)
     */
    MapSnapshot read(String mapId) {
        MapGeometry geometry = maps.geometry(mapId);
        MapSpec spec = geometry.spec();
        if (spec.has(MapFlag.MMAPABLE)) {
            try {
                return mapped(mapId, geometry);
            } catch (BpfException e) {
                if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOTSUPP && e.errno() != Errno.EACCES) {
                    throw e;
                }
                // the kernel refuses this map's mapping: lookups give its own answer
            }
        }
        return lookups(mapId, geometry);
    }

    /** The principal a scrape's mappings count against (bpfmapd.limits.max-sessions-per-principal and mapped bytes). */
    static final String SCRAPER = "(metric views)";

    /**
     * One read-only mapping of the elements' bytes, copied once. The mapping takes a temporary slot and its
     * mapped bytes, as a whole-map read does, under a principal of its own: scrapes are the service's reads.
     */
    MapSnapshot mapped(String mapId, MapGeometry geometry) {
        int entries = geometry.spec().maxEntries();
        long elem = geometry.elemSize();
        byte[] data = new byte[size(entries, elem)];
        try (ResourceLimits.Reservation slot = limits.reserveTemporaryMapping(SCRAPER, geometry.dataSize());
             Mapping mapping = maps.mmap(mapId, 0, geometry.dataSize(), false)) {
            mapping.read(0, data, 0, data.length);
        }
        return new MapSnapshot(data, entries, elem, elem, 1);
    }

    /** Batches of lookups (BPF_MAP_LOOKUP_BATCH), in the layout lookup returns (a slot per possible CPU for PERCPU_ARRAY). */
    MapSnapshot lookups(String mapId, MapGeometry geometry) {
        int entries = geometry.spec().maxEntries();
        long stride = geometry.stride();
        byte[] data = new byte[size(entries, stride)];
        maps.withMap(mapId, h -> {
            int i = 0;
            for (byte[] value : BatchReads.read(h, 0, entries)) {
                System.arraycopy(value, 0, data, (int) (i++ * stride), value.length);
            }
            return null;
        });
        int cpus = geometry.stride() == geometry.elemSize() ? 1 : geometry.possibleCpus();
        return new MapSnapshot(data, entries, stride, geometry.elemSize(), cpus);
    }

    private static int size(int entries, long stride) {
        long size = Integer.toUnsignedLong(entries) * stride;
        if (size > Integer.MAX_VALUE - 8) {
            throw new BpfException(Errno.E2BIG, "export", "a map of " + size + " bytes is too large to export");
        }
        return (int) size;
    }
}
