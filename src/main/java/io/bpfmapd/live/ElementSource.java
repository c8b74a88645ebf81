package io.bpfmapd.live;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.limits.ResourceLimits;
import io.bpfmapd.map.MapService;

/**
 * Where a stream window's values come from, read whole once per interval. An MMAPABLE map is read
 * through ONE read-only mapping of the pages that hold the window, made when the reader starts: a
 * read is memory copies, no syscall per element. Any other map (or one that refuses the mapping) is
 * read by lookups, behind {@link Lookups#read}: the one place that can switch to a batch lookup.
 */
interface ElementSource extends AutoCloseable {

    /** The principal the limits count every stream reader's mapping for. */
    String OWNER = "bpfmapd.streams";

    /** Bytes of one value as compared and encoded: value_size, or one slot per CPU for a per-CPU lookup. */
    int valueLength();

    /**
     * Reads the window's values into {@code dst}, element k at {@code k * valueLength()}.
     *
     * @throws io.bpfmapd.map.MapNotFoundException          the map was deleted (lookups)
     * @throws io.bpfmapd.backend.MappingClosedException    the mapping was closed under the read
     * @throws BpfException                                 the lookup's errno
     */
    void read(byte[] dst);

    /** Whether this source holds a mapping (and with it a slot of bpfmapd.limits.max-sessions). */
    boolean mapped();

    @Override
    void close();

    /**
     * The source for {@code [from, from + count)} of the map. The mapping holds the map's memory, as a
     * session's does, and takes one slot of {@code bpfmapd.limits.max-sessions} through the path the
     * whole-map octet-stream read takes ({@link ResourceLimits#reserveTemporaryMapping}), with its mapped
     * bytes, given back at {@link #close}; one per shared reader, however many subscribe to it. A shared
     * reader belongs to no one subscriber, so it is counted for the principal {@value #OWNER}: all stream
     * readers together are bounded by bpfmapd.limits.max-sessions-per-principal and
     * max-mapped-bytes-per-principal as well.
     *
     * @throws io.bpfmapd.limits.LimitExceededException 429 when the service holds as many mappings as it may
     */
    static ElementSource open(MapService maps, ResourceLimits limits, String mapId, int from, int count) {
        MapGeometry geometry = maps.geometry(mapId);
        if (geometry.spec().has(MapFlag.MMAPABLE)) {
            long elem = geometry.elemSize();
            long first = from * elem;
            long pageStart = geometry.pageStart(first);
            long length = (from + (long) count) * elem - pageStart;
            ResourceLimits.Reservation slot = limits.reserveTemporaryMapping(OWNER, geometry.pageAlign(length));
            try {
                Mapping mapping = maps.mmap(mapId, pageStart, length, false);
                return new Mapped(mapping, slot, first - pageStart, (int) elem, geometry.spec().valueSize(), count);
            } catch (BpfException refused) {
                // special fields (ENOTSUPP) or BPF_F_WRONLY (EACCES): lookups give the kernel's own answer
                slot.close();
            } catch (RuntimeException e) {
                slot.close();
                throw e;
            }
        }
        return new Lookups(maps, mapId, from, count, (int) geometry.valueSize());
    }

    /** One read-only mapping of the window's pages. */
    final class Mapped implements ElementSource {
        private final Mapping mapping;
        private final ResourceLimits.Reservation slot;
        private final long start;
        private final int stride;
        private final int valueSize;
        private final int count;

        Mapped(Mapping mapping, ResourceLimits.Reservation slot, long start, int stride, int valueSize, int count) {
            this.mapping = mapping;
            this.slot = slot;
            this.start = start;
            this.stride = stride;
            this.valueSize = valueSize;
            this.count = count;
        }

        @Override
        public int valueLength() {
            return valueSize;
        }

        @Override
        public void read(byte[] dst) {
            if (stride == valueSize) {
                mapping.read(start, dst, 0, count * valueSize); // one copy of the whole window
                return;
            }
            for (int k = 0; k < count; k++) { // values padded to 8 bytes in the map: one copy each
                mapping.read(start + (long) k * stride, dst, k * valueSize, valueSize);
            }
        }

        @Override
        public boolean mapped() {
            return true;
        }

        @Override
        public void close() {
            try (slot) {
                mapping.close();
            }
        }
    }

    /** BPF_MAP_LOOKUP_ELEM per element. */
    final class Lookups implements ElementSource {
        private final MapService maps;
        private final String mapId;
        private final int from;
        private final int count;
        private final int valueLength;

        Lookups(MapService maps, String mapId, int from, int count, int valueLength) {
            this.maps = maps;
            this.mapId = mapId;
            this.from = from;
            this.count = count;
            this.valueLength = valueLength;
        }

        @Override
        public int valueLength() {
            return valueLength;
        }

        @Override
        public void read(byte[] dst) {
            maps.withMap(mapId, h -> {
                for (int k = 0; k < count; k++) {
                    byte[] value = h.lookup(from + k);
                    System.arraycopy(value, 0, dst, k * valueLength, valueLength);
                }
                return null;
            });
        }

        @Override
        public boolean mapped() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}
