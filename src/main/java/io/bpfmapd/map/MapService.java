package io.bpfmapd.map;

import io.bpfmapd.backend.Access;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BackendUnavailableException;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.UpdateFlag;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.config.BackendProperties;
import io.bpfmapd.limits.LimitExceededException;
import io.bpfmapd.limits.LimitsProperties;
import io.bpfmapd.limits.ResourceLimits;
import io.bpfmapd.web.LogValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The maps the service holds, each through one {@link BpfMap} handle, on whichever backend was asked
 * for. Deleting a map closes that handle and forgets the map at once; mappings still open on it keep
 * its memory alive, as the kernel's do.
 */
@Service
public class MapService implements ApplicationEventPublisherAware {

    private static final Logger log = LoggerFactory.getLogger(MapService.class);

    private final Map<BackendKind, BpfBackend> backends = new EnumMap<>(BackendKind.class);
    private final BackendKind defaultBackend;
    private final ApiProperties api;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ResourceLimits limits;
    private final ConcurrentHashMap<String, ManagedMap> maps = new ConcurrentHashMap<>();
    /** Told the id of each deleted map, after its handle (and the pin the service made) are gone. */
    private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();
    /** Where {@link MapEvent}s go; nowhere for a service built by hand. */
    private ApplicationEventPublisher events = event -> { };
    /** Whole-map reads streaming now, by map id: shown in the map's session counts. */
    private final ConcurrentHashMap<String, Integer> temporaryMappings = new ConcurrentHashMap<>();
    private final StallWatch stallWatch;
    private final Counter stalledStreams;

    /** With the default {@code bpfmapd.limits}: for tests and tools that build the service by hand. */
    public MapService(List<BpfBackend> backends, BackendProperties backendProperties, ApiProperties api, Clock clock,
                      MeterRegistry meters) {
        this(backends, backendProperties, api, clock, meters, new ResourceLimits(LimitsProperties.defaults()));
    }

    @Autowired
    public MapService(List<BpfBackend> backends, BackendProperties backendProperties, ApiProperties api, Clock clock,
                      MeterRegistry meters, ResourceLimits limits) {
        this.limits = limits;
        for (BpfBackend b : backends) {
            if (this.backends.putIfAbsent(b.kind(), b) != null) {
                throw new IllegalStateException("two backends of kind " + b.kind());
            }
        }
        this.defaultBackend = backendProperties.defaultKind();
        this.api = api;
        this.clock = clock;
        this.meters = meters;
        this.stallWatch = new StallWatch(limits.streamStallTimeout());
        this.stalledStreams = Counter.builder("bpfmapd.sessions.temporary.stalled")
                .description("Whole-map reads aborted because the client took nothing for "
                        + "bpfmapd.limits.stream-stall-timeout").register(meters);
        for (BackendKind kind : BackendKind.values()) {
            Gauge.builder("bpfmapd.maps", this, s -> s.count(kind))
                    .description("Maps held by the service")
                    .tag("backend", kind.name())
                    .register(meters);
        }
    }

    /**
     * BPF_MAP_CREATE on the backend the request names, or the default one.
     *
     * @throws BpfException                the backend's errno for a spec the kernel refuses
     * @throws BackendUnavailableException the backend is not configured or does not work here
     */
    public MapView create(CreateMapRequest request) {
        BackendKind kind = request.backend() != null ? request.backend() : defaultBackend;
        BpfBackend backend = backend(kind);
        EnumSet<MapFlag> flagSet = EnumSet.noneOf(MapFlag.class);
        if (request.flags() != null) {
            flagSet.addAll(request.flags());
        }
        int flags = MapFlag.toBits(flagSet);
        MapSpec spec = spec(request, flags);
        ManagedMap map;
        try (ResourceLimits.Reservation reservation = limits.reserveMap(backend.geometry(spec))) {
            BpfMap handle = backend.create(spec);
            map = new ManagedMap(UUID.randomUUID().toString(), kind, clock.instant(), handle);
            reservation.keep();
        }
        maps.put(map.id(), map);
        log.info("created map {} ({} {} on {})", map.id(), spec.type(), LogValue.of(spec.name()), kind);
        publish(MapEvent.Kind.CREATED, map.id());
        return view(map);
    }

    /**
     * The spec of a create request: with a valueType, its BTF, and its size unless the request gives one.
     *
     * @throws InvalidValueTypeException for a value type that is not one, or one asked for with a spin lock
     */
    private static MapSpec spec(CreateMapRequest request, int flags) {
        String name = request.name() == null ? "" : request.name();
        int keySize = request.keySize() == null ? 4 : request.keySize();
        boolean spinLock = Boolean.TRUE.equals(request.valueHasSpinLock());
        if (request.valueType() == null) {
            if (request.valueSize() == null) {
                throw new InvalidValueTypeException("valueSize", "must not be null without a valueType");
            }
            return new MapSpec(name, request.type(), keySize, request.valueSize(), request.maxEntries(), flags, spinLock);
        }
        if (spinLock) {
            throw new InvalidValueTypeException("valueHasSpinLock", "is sugar for a valueType: give a bpf_spin_lock field "
                    + "in valueType instead");
        }
        ValueTypeBtf.Built built = ValueTypeBtf.build(request.valueType());
        // A size beyond int is refused by the builder; a given valueSize that differs goes to the backend,
        // whose answer is the kernel's (map_check_btf: EINVAL).
        int valueSize = request.valueSize() != null ? request.valueSize() : (int) built.size();
        return new MapSpec(name, request.type(), keySize, valueSize, request.maxEntries(), flags, false, built.btf());
    }

    public List<MapView> list() {
        List<MapView> views = new ArrayList<>();
        for (ManagedMap map : maps.values()) {
            try {
                views.add(view(map));
            } catch (MapNotFoundException deletedMeanwhile) {
                // gone between the listing and the look: not part of the answer
            }
        }
        views.sort(Comparator.comparing(MapView::createdAt).thenComparing(MapView::id));
        return views;
    }

    /** @throws MapNotFoundException for an unknown id */
    public MapView get(String id) {
        return view(find(id));
    }

    /**
     * Closes the service's handle and forgets the map; open sessions keep their mappings. A pin the
     * service made is removed with it; a pin it imported stays (it belongs to the program that made it).
     */
    public void delete(String id) {
        ManagedMap map = maps.remove(id);
        if (map == null) {
            throw new MapNotFoundException(id);
        }
        try {
            map.delete();
        } finally {
            forget(map);
        }
        deletionListeners.forEach(l -> l.accept(id));
        publish(MapEvent.Kind.DELETED, id);
        log.info("deleted map {}", id);
    }

    /**
     * Holds a map opened elsewhere (an import, a restart) under its service id, within the limits.
     *
     * @throws LimitExceededException the service holds as many maps or bytes as it may; the caller closes the handle
     */
    MapView adopt(ManagedMap map) {
        try (ResourceLimits.Reservation reservation = limits.reserveMap(map.geometry())) {
            if (maps.putIfAbsent(map.id(), map) != null) {
                throw new IllegalStateException("map id " + map.id() + " is taken");
            }
            reservation.keep();
        }
        publish(MapEvent.Kind.CREATED, map.id());
        return view(map);
    }

    /** The service id of the live map with this backend map id, if the service holds it already. */
    Optional<String> findByKernelId(BackendKind kind, long kernelId) {
        for (ManagedMap map : maps.values()) {
            try {
                if (map.backend() == kind && map.use(h -> h.info().id()) == kernelId) {
                    return java.util.Optional.of(map.id());
                }
            } catch (MapNotFoundException deletedMeanwhile) {
                // not held any more
            }
        }
        return java.util.Optional.empty();
    }

    void onDelete(Consumer<String> listener) {
        deletionListeners.add(listener);
    }

    /**
     * BPF_MAP_FREEZE.
     *
     * @throws BpfException EBUSY while a writable mapping exists, EPERM once frozen, ENOTSUPP for spin locks
     */
    public MapView freeze(String id) {
        ManagedMap map = find(id);
        String outcome = "ok";
        try {
            map.use(h -> {
                h.freeze();
                return null;
            });
        } catch (BpfException e) {
            outcome = e.errno().name();
            throw e;
        } finally {
            Counter.builder("bpfmapd.freezes").description("BPF_MAP_FREEZE attempts by outcome")
                    .tag("outcome", outcome).register(meters).increment();
        }
        publish(MapEvent.Kind.FROZEN, id);
        return view(map);
    }

    /**
     * The map's BTF (the kernel's, through bpf_map_info's btf_id).
     *
     * @throws BtfNotFoundException when the map was created without BTF
     */
    public MapBtf btf(String id) {
        return withMap(id, BpfMap::btf).orElseThrow(() -> new BtfNotFoundException(id));
    }

    /**
     * The map's BTF value type, for format=typed; null for any other format, which needs none.
     *
     * @throws BpfException EINVAL (operation "format") for typed on a map without a BTF value type
     */
    public TypedValues typedValues(String id, ValueFormat format) {
        return format == ValueFormat.TYPED ? find(id).typedValues() : null;
    }

    /** The bytes in {@code format}: typed through the map's value type, the others by {@link ValueCodec}. */
    public static EncodedValue encode(byte[] value, ValueFormat format, TypedValues type, String operation) {
        return format == ValueFormat.TYPED ? type.value(value) : ValueCodec.encode(value, format, operation);
    }

    /**
     * A typed write through BPF_MAP_UPDATE_ELEM. JSON that names only some fields needs the rest of the
     * value: it is looked up, patched and written back whole, because the syscall writes whole values. A
     * BPF program's write to the element between that lookup and the update is lost for the fields the
     * JSON did not name (and for those it did, as with any update); a session write through a mapping
     * writes only the named bytes. The JSON is checked before anything is read or written.
     *
     * @throws BpfException EINVAL naming the field path; whatever lookup and update throw (E2BIG for an
     *                      index past max_entries, EPERM on a frozen or BPF_F_WRONLY map...)
     */
    public void updateTyped(String id, int index, JsonNode json, UpdateFlag flag) {
        ManagedMap map = find(id);
        TypedValues type = map.typedValues();
        long entries = Integer.toUnsignedLong(map.spec().maxEntries());
        map.use(h -> {
            // past max_entries a lookup says ENOENT where the update says E2BIG: leave the answer to the update
            byte[] value = type.update(json, () -> index >= 0 && index < entries ? h.lookup(index)
                    : new byte[(int) map.geometry().valueSize()]);
            h.update(index, value, flag);
            return null;
        });
    }

    /** BPF_MAP_LOOKUP_ELEM: @throws BpfException ENOENT for an index out of range */
    public byte[] lookup(String id, int index) {
        return withMap(id, h -> h.lookup(index));
    }

    /** BPF_MAP_UPDATE_ELEM: @throws BpfException EINVAL (size), E2BIG (index), EEXIST (NOEXIST), EPERM (frozen) */
    public void update(String id, int index, byte[] value, UpdateFlag flag) {
        withMap(id, h -> {
            h.update(index, value, flag);
            return null;
        });
    }

    /**
     * The values of elements {@code [from, from + count)} that exist (the range stops at max_entries).
     * Their bytes together are at most bpfmapd.api.max-json-bytes, the rule of a JSON session read: a
     * JSON answer is built from them, so its memory is bounded by what one request may ask for.
     *
     * @throws BpfException EINVAL for a negative from or count, a count above bpfmapd.api.max-range-count,
     *                      or values whose bytes together pass bpfmapd.api.max-json-bytes
     */
    public List<byte[]> range(String id, int from, int count) {
        if (count < 0 || count > api.maxRangeCount()) {
            throw new BpfException(Errno.EINVAL, "range", "from must be >= 0 and count in [0, "
                    + api.maxRangeCount() + "] (bpfmapd.api.max-range-count); got from=" + from + ", count=" + count);
        }
        return range(id, from, OptionalInt.of(count));
    }

    /**
     * As many values from {@code from} as bpfmapd.api.max-range-count and bpfmapd.api.max-json-bytes
     * allow: the answer to a range read that gives no count; the client pages on from there.
     *
     * @throws BpfException EINVAL for a negative from, or one value larger than bpfmapd.api.max-json-bytes
     */
    public List<byte[]> range(String id, int from) {
        return range(id, from, OptionalInt.empty());
    }

    private List<byte[]> range(String id, int from, OptionalInt asked) {
        if (from < 0) {
            throw new BpfException(Errno.EINVAL, "range", "from must be >= 0 and count in [0, "
                    + api.maxRangeCount() + "] (bpfmapd.api.max-range-count); got from=" + from);
        }
        ManagedMap map = find(id);
        MapSpec spec = map.spec();
        return map.use(h -> {
            long entries = Integer.toUnsignedLong(spec.maxEntries());
            if (from >= entries || asked.orElse(1) == 0) {
                return List.of();
            }
            // What a lookup returns: value_size for ARRAY, a slot per possible CPU for PERCPU_ARRAY.
            long valueLength = h.geometry().valueSize();
            long fit = api.maxJsonBytes() / valueLength;
            // Without a count, as many as fit, and at least one: a value alone above the limit is refused.
            long end = Math.min(from + (long) asked.orElse((int) Math.min(api.maxRangeCount(), Math.max(fit, 1))), entries);
            if ((end - from) * valueLength > api.maxJsonBytes()) {
                throw new BpfException(Errno.EINVAL, "range", "a JSON range read returns at most "
                        + api.maxJsonBytes() + " bytes of values (bpfmapd.api.max-json-bytes): " + fit + " of "
                        + valueLength + " bytes; ask for fewer or for application/octet-stream");
            }
            Optional<List<byte[]>> mapped = map.mappable() ? readMapped(h, h.geometry(), from, end) : Optional.empty();
            return mapped.orElseGet(() -> BatchReads.read(h, from, end));
        });
    }

    /**
     * The values of [from, end) of an MMAPABLE map through one read-only mapping of the pages that hold
     * them: the same bytes lookup returns (copy_map_value of an array without special fields), without
     * one bpf() call per element. Empty where the map refuses the mapping (special fields: ENOTSUPP;
     * BPF_F_WRONLY: EACCES): a batch lookup then gives the caller the kernel's own answer.
     */
    private static Optional<List<byte[]>> readMapped(BpfMap h, MapGeometry geometry, long from, long end) {
        MapSpec spec = geometry.spec();
        long elem = geometry.elemSize();
        long first = from * elem;
        long pageStart = geometry.pageStart(first);
        Mapping mapping;
        try {
            mapping = h.mmap(pageStart, end * elem - pageStart, false);
        } catch (BpfException e) {
            return Optional.empty();
        }
        try (mapping) {
            List<byte[]> values = new ArrayList<>((int) (end - from));
            for (long i = from; i < end; i++) {
                byte[] value = new byte[spec.valueSize()];
                mapping.read(i * elem - pageStart, value, 0, value.length);
                values.add(value);
            }
            return Optional.of(values);
        }
    }

    /**
     * The map's whole data area as a stream, for {@code owner}. An MMAPABLE map (held read-write) is
     * read through a temporary read-only mapping (made now, so its errno is the response's), streamed
     * chunk by chunk; any other map is streamed a BPF_MAP_LOOKUP_BATCH chunk at a time, each value padded
     * to its stride. Never the whole map on the heap.
     *
     * @throws LimitExceededException the owner or the service holds as many sessions or mapped bytes as it may
     */
    public DataStream dataStream(String id, String owner) {
        ManagedMap map = find(id);
        MapSpec spec = map.spec();
        if (map.mappable()) {
            long size = map.geometry().dataSize();
            // The mapping holds the map as a session does, until the stream ends: it is one of the owner's
            // sessions in the limits (and its bytes mapped bytes), so that one principal's downloads cannot
            // take the slots every other principal's sessions need; and a stalled client holds it for
            // bpfmapd.limits.stream-stall-timeout at most.
            ResourceLimits.Reservation slot = limits.reserveTemporaryMapping(owner, size);
            Mapping mapping;
            try {
                mapping = map.mmap(0, size, false, memoryFreed(map));
            } catch (RuntimeException e) {
                slot.close();
                throw e;
            }
            temporaryMappings.merge(id, 1, Integer::sum);
            TemporaryMapping temporary = new TemporaryMapping(mapping, slot, stallWatch, () -> {
                stalledStreams.increment();
                log.info("whole-map read of map {} by '{}': the client took nothing for {}; mapping released, "
                        + "response aborted", id, owner, stallWatch.timeout());
            }, () -> temporaryMappings.computeIfPresent(id, (k, n) -> n > 1 ? n - 1 : null));
            return new DataStream(size, temporary::writeTo);
        }
        return map.use(h -> {
            // The stride is what lookup returns, padded to 8: value_size for ARRAY, one slot per CPU for PERCPU.
            h.lookupBatch(OptionalInt.empty(), 0); // the map's own errno (BPF_F_WRONLY: EPERM) before the response starts
            long stride = map.geometry().stride();
            long entries = Integer.toUnsignedLong(spec.maxEntries());
            // About 1 MiB of values per call: the heap holds one chunk at a time, whatever the map's size.
            int perCall = (int) Math.max(1, Math.min(BatchReads.MAX_BATCH, (1 << 20) / stride));
            return new DataStream(stride * entries, out -> {
                byte[] padding = new byte[(int) stride];
                for (long from = 0; from < entries; from += perCall) {
                    long first = from;
                    int count = (int) Math.min(perCall, entries - from);
                    for (byte[] value : withMap(id, m -> BatchReads.chunk(m, first, count))) {
                        out.write(value);
                        out.write(padding, 0, (int) stride - value.length);
                    }
                }
            });
        });
    }

    /**
     * Every element's value as one JSON answer in {@code format}, the shape of a range read of the whole
     * map, streamed from {@link #dataStream} one element at a time: never the whole answer in memory, and
     * neither max-range-count nor max-json-bytes applies.
     *
     * @throws BpfException EINVAL for typed on a map without a BTF value type, or an integer format that does
     *                      not divide the value; whatever {@link #dataStream} throws
     */
    public DataStream dump(String id, String owner, ValueFormat format) {
        TypedValues type = typedValues(id, format);
        MapGeometry geometry = geometry(id);
        if (format != ValueFormat.TYPED && geometry.valueSize() % format.width() != 0) {
            throw new BpfException(Errno.EINVAL, "dump", geometry.valueSize() + "-byte values are not a whole number of "
                    + format.field() + " (" + format.width() + " bytes each); use hex or base64");
        }
        DataStream data = dataStream(id, owner);
        return new DataStream(-1, ValueDump.json(data, geometry, format, type));
    }

    /**
     * The map's spec as it was when the service took the map: it never changes, and on the kernel
     * backend {@code info()} reads {@code /proc/self/fdinfo}, which a hot path should not pay for.
     */
    public MapSpec spec(String id) {
        return find(id).spec();
    }

    /** The map's sizes on its backend, fixed when the service took the map. */
    public MapGeometry geometry(String id) {
        return find(id).geometry();
    }

    /**
     * Runs {@code op} on the map's handle while the map cannot be deleted under it.
     *
     * @throws MapNotFoundException for an unknown or deleted map
     */
    public <T> T withMap(String id, Function<BpfMap, T> op) {
        return find(id).use(op);
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
        this.events = publisher;
    }

    private void publish(MapEvent.Kind kind, String id) {
        try {
            events.publishEvent(new MapEvent(kind, id, clock.instant()));
        } catch (RuntimeException e) {
            // The change took effect; a listener that fails (one being destroyed at shutdown) must not
            // turn it into an error for the caller.
            log.warn("a listener of MapEvent {} failed", kind, e);
        }
    }

    /** Closes every handle; the backends are closed after this, by their own beans. */
    @PreDestroy
    public void closeAll() {
        stallWatch.close();
        for (String id : List.copyOf(maps.keySet())) {
            ManagedMap map = maps.remove(id);
            if (map != null) {
                try {
                    map.close();
                    forget(map);
                } catch (RuntimeException e) {
                    log.warn("closing map {} at shutdown failed", id, e);
                }
            }
        }
    }

    /**
     * The map leaves the service's count at once; its bytes stay counted until the last mapping of it
     * is closed, since until then its memory lives on (max-total-map-bytes counts memory, not ids).
     */
    private void forget(ManagedMap map) {
        limits.releaseMapEntry();
        map.dropMemoryHolder(memoryFreed(map));
    }

    private Runnable memoryFreed(ManagedMap map) {
        return () -> limits.releaseMapBytes(map.geometry());
    }

    /**
     * mmap of a window of the map's value area, which holds the map's memory (and its bytes in the
     * limits) until it is closed, even after the map is deleted.
     *
     * @throws MapNotFoundException for an unknown or deleted map
     * @throws BpfException the backend's mmap errno
     */
    public Mapping mmap(String id, long offset, long length, boolean writable) {
        ManagedMap map = find(id);
        return map.mmap(offset, length, writable, memoryFreed(map));
    }

    /** Whole-map reads of the map streaming now, each through a temporary mapping; 0 for an unknown map. */
    public int temporaryMappings(String id) {
        return temporaryMappings.getOrDefault(id, 0);
    }

    /** The default and largest count of a range read (bpfmapd.api.max-range-count). */
    public int maxRangeCount() {
        return api.maxRangeCount();
    }

    public int count(BackendKind kind) {
        return (int) maps.values().stream().filter(m -> m.backend() == kind).count();
    }

    /** @throws BackendUnavailableException if the backend is not configured or does not work here */
    BpfBackend backend(BackendKind kind) {
        BpfBackend backend = backends.get(kind);
        if (backend == null) {
            throw new BackendUnavailableException(kind, "not enabled in this service's configuration");
        }
        if (!backend.availability().available()) {
            throw new BackendUnavailableException(kind, backend.availability().reason());
        }
        return backend;
    }

    /**
     * The backend for opening a pin with {@code access}: a READ_ONLY open asks the backend's
     * {@link BpfBackend#readOnlyOpens()}, which may say yes where the backend cannot create maps (a
     * kernel-mode process without capabilities).
     *
     * @throws BackendUnavailableException if the backend is not configured or cannot open pins so here
     */
    BpfBackend backend(BackendKind kind, Access access) {
        if (access != Access.READ_ONLY) {
            return backend(kind);
        }
        BpfBackend backend = backends.get(kind);
        if (backend == null) {
            throw new BackendUnavailableException(kind, "not enabled in this service's configuration");
        }
        if (!backend.readOnlyOpens().available()) {
            throw new BackendUnavailableException(kind, backend.readOnlyOpens().reason());
        }
        return backend;
    }

    ManagedMap find(String id) {
        ManagedMap map = maps.get(id);
        if (map == null) {
            throw new MapNotFoundException(id);
        }
        return map;
    }

    private MapView view(ManagedMap map) {
        MapInfo info = map.use(BpfMap::info);
        if (map.name().isPresent()) {
            MapSpec s = info.spec();
            info = new MapInfo(new MapSpec(map.name().get(), s.type(), s.keySize(), s.valueSize(), s.maxEntries(),
                    s.flags(), s.valueHasSpinLock(), s.btf()), info.id(), info.frozen(), info.mappings(), info.writableMappings(),
                    info.pinnedPath());
        }
        return new MapView(map.id(), map.backend(), map.createdAt(), info, map.geometry(), map.access(), map.typed());
    }

    /**
     * A map's identity in the service, what its backend knows of it right now, and its sizes there;
     * {@code typed}: it has a BTF value type.
     */
    public record MapView(String id, BackendKind backend, java.time.Instant createdAt, MapInfo info,
                          MapGeometry geometry, Access access, boolean typed) {

        /** An untyped map the service opened read-write. */
        public MapView(String id, BackendKind backend, java.time.Instant createdAt, MapInfo info, MapGeometry geometry) {
            this(id, backend, createdAt, info, geometry, Access.READ_WRITE, false);
        }
    }

    /** A response body of known length, written once. */
    public record DataStream(long length, Body body) {

        @FunctionalInterface
        public interface Body {
            void writeTo(OutputStream out) throws IOException;
        }
    }
}
