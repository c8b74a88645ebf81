package io.bpfmapd.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.bpfmapd.backend.Availability;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.backend.MappingClosedException;
import io.bpfmapd.config.ApiProperties;
import io.bpfmapd.config.BackendProperties;
import io.bpfmapd.config.SessionProperties;
import io.bpfmapd.limits.LimitsProperties;
import io.bpfmapd.limits.ResourceLimits;
import io.bpfmapd.map.CreateMapRequest;
import io.bpfmapd.map.MapService;
import io.bpfmapd.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session registry over the emulated backend, whose rules are the kernel's; no map may outlive a test. */
class SessionRegistryTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ApiProperties api = new ApiProperties(1024, 4096);
    @TempDir
    Path dataDir;
    private EmulatedBackend backend;
    private MapService maps;
    private SessionRegistry sessions;
    private final ResourceLimits limits = new ResourceLimits(LimitsProperties.defaults());
    private String mapId;

    @BeforeEach
    void setUp() {
        backend = new EmulatedBackend(dataDir);
        maps = new MapService(List.of(backend), new BackendProperties(BackendKind.EMULATED), api, clock, meters,
                limits);
        sessions = new SessionRegistry(maps, new SessionProperties(Duration.ofSeconds(60), Duration.ofHours(1),
                Duration.ofSeconds(1)), api, clock, meters, limits);
        mapId = maps.create(new CreateMapRequest("m", MapType.ARRAY, 4, 8, 1024, List.of(MapFlag.MMAPABLE), null, null))
                .id();
    }

    @AfterEach
    void shutdownReleasesEverything() {
        sessions.releaseAll();
        maps.closeAll();
        assertThat(sessions.size()).isZero();
        // Every handle and every mapping holds a reference to its map: none may be left.
        assertThat(backend.liveMapCount()).isZero();
        backend.close();
    }

    /** Mappings alive on the test's map (its {@code bpf_map_info}), as the kernel counts them. */
    private int mappings() {
        return maps.get(mapId).info().mappings();
    }

    @Test
    void openedLeaseExpiresAfterItsTtlAndReleasesTheMapping() {
        SessionResource s = sessions.open(mapId, rw(30L), "alice");

        assertThat(s.expiresAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(s.owner()).isEqualTo("alice");
        assertThat(s.length()).isEqualTo(8192);
        assertThat(mappings()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(29));
        assertThat(sessions.expireDue()).isZero();
        assertThat(sessions.get(s.id()).id()).isEqualTo(s.id());

        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.expireDue()).isEqualTo(1);
        assertThat(mappings()).isZero();
        assertThat(sessions.size()).isZero();
        assertThatThrownBy(() -> sessions.get(s.id())).isInstanceOf(SessionNotFoundException.class);
        assertThat(meters.counter("bpfmapd.sessions.expired").count()).isEqualTo(1);
        assertThat(meters.counter("bpfmapd.sessions.closed").count()).isZero();
    }

    @Test
    void defaultTtlApplies() {
        assertThat(sessions.open(mapId, new OpenSessionRequest(SessionAccess.READ_ONLY, null, null, null), "a")
                .expiresAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void renewResetsTheExpiryFromNow() {
        SessionResource s = sessions.open(mapId, rw(60L), "a");
        clock.advance(Duration.ofSeconds(50));

        assertThat(sessions.renew(s.id(), 60L).expiresAt()).isEqualTo(T0.plusSeconds(110));
        clock.advance(Duration.ofSeconds(30));
        assertThat(sessions.expireDue()).isZero();
        assertThat(sessions.get(s.id()).expiresAt()).isEqualTo(T0.plusSeconds(110));

        clock.advance(Duration.ofSeconds(30));
        assertThat(sessions.expireDue()).isEqualTo(1);
    }

    @Test
    void expiryUnblocksAFreezeRefusedWithEbusy() {
        sessions.open(mapId, rw(10L), "a");
        assertThatThrownBy(() -> maps.freeze(mapId)).isInstanceOfSatisfying(BpfException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EBUSY));

        clock.advance(Duration.ofSeconds(10));
        sessions.expireDue();

        assertThat(maps.freeze(mapId).info().frozen()).isTrue();
        assertThat(meters.counter("bpfmapd.freezes", "outcome", "EBUSY").count()).isEqualTo(1);
        assertThat(meters.counter("bpfmapd.freezes", "outcome", "ok").count()).isEqualTo(1);
    }

    @Test
    void aLeasePastItsExpiryIsReleasedOnUseWithoutWaitingForTheSweeper() {
        SessionResource s = sessions.open(mapId, rw(10L), "a");
        clock.advance(Duration.ofSeconds(11));

        assertThatThrownBy(() -> sessions.read(s.id(), 0, 8L)).isInstanceOf(SessionNotFoundException.class);
        assertThat(mappings()).isZero();
        assertThat(maps.freeze(mapId).info().frozen()).isTrue();
    }

    @Test
    void ttlOutOfRangeIsEinvalAndOpensNothing() {
        for (long ttl : new long[] {0, -1, 3601}) {
            assertThatThrownBy(() -> sessions.open(mapId, rw(ttl), "a"))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        }
        assertThat(sessions.size()).isZero();
        assertThat(mappings()).isZero();
        assertThat(meters.counter("bpfmapd.sessions.opened", "outcome", "EINVAL").count()).isEqualTo(3);
    }

    @Test
    void renewOutOfRangeIsEinvalAndKeepsTheOldExpiry() {
        SessionResource s = sessions.open(mapId, rw(60L), "a");
        assertThatThrownBy(() -> sessions.renew(s.id(), 0L)).isInstanceOf(BpfException.class);
        assertThat(sessions.get(s.id()).expiresAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void closeUnmapsAndCountsAsClosed() {
        SessionResource s = sessions.open(mapId, rw(60L), "a");
        sessions.close(s.id());

        assertThat(mappings()).isZero();
        assertThatThrownBy(() -> sessions.close(s.id())).isInstanceOf(SessionNotFoundException.class);
        assertThat(meters.counter("bpfmapd.sessions.closed").count()).isEqualTo(1);
    }

    @Test
    void bytesWrittenThroughASessionAreSeenByLookupAndCounted() {
        SessionResource s = sessions.open(mapId, rw(60L), "a");
        sessions.write(s.id(), 24, new byte[] {42, 0, 0, 0, 0, 0, 0, 0});

        assertThat(maps.lookup(mapId, 3)).containsExactly(42, 0, 0, 0, 0, 0, 0, 0);
        assertThat(sessions.read(s.id(), 24, 8L)).containsExactly(42, 0, 0, 0, 0, 0, 0, 0);
        assertThat(meters.counter("bpfmapd.session.bytes.written").count()).isEqualTo(8);
        assertThat(meters.counter("bpfmapd.session.bytes.read").count()).isEqualTo(8);
    }

    @Test
    void writesOutsideTheWindowOrThroughAReadOnlySessionChangeNothing() {
        SessionResource rw = sessions.open(mapId, rw(60L), "a");
        SessionResource ro = sessions.open(mapId, new OpenSessionRequest(SessionAccess.READ_ONLY, null, null, 60L), "a");

        assertThatThrownBy(() -> sessions.write(rw.id(), 8190, new byte[] {1, 2, 3}))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        assertThatThrownBy(() -> sessions.write(ro.id(), 0, new byte[] {1}))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EACCES));
        assertThatThrownBy(() -> sessions.read(ro.id(), 4096, 4097L))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));

        assertThat(sessions.read(rw.id(), 4096, 4096L)).containsOnly(0);
        assertThat(sessions.read(ro.id(), 0, 4096L)).containsOnly(0);
    }

    @Test
    void jsonReadsAreCappedByMaxJsonBytes() {
        SessionResource s = sessions.open(mapId, rw(60L), "a");
        assertThat(sessions.read(s.id(), 0, 4096L)).hasSize(4096);
        assertThatThrownBy(() -> sessions.read(s.id(), 0, 4097L))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }

    @Test
    void aSessionOutlivesTheDeleteOfItsMap() {
        SessionResource s = sessions.open(mapId, rw(60L), "a");
        sessions.write(s.id(), 0, new byte[] {7});
        maps.delete(mapId);

        assertThat(sessions.read(s.id(), 0, 1L)).containsExactly(7);
        // The handle is closed; the mapping alone still holds the map, as an mmap does in the kernel.
        assertThat(backend.liveMapCount()).isEqualTo(1);
        sessions.close(s.id());
        assertThat(backend.liveMapCount()).isZero();
    }

    @Test
    void mmapErrnoIsCountedByOutcome() {
        maps.freeze(mapId);
        assertThatThrownBy(() -> sessions.open(mapId, rw(60L), "a"))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        sessions.open(mapId, new OpenSessionRequest(SessionAccess.READ_ONLY, 4096L, 4096L, 60L), "a");

        assertThat(meters.counter("bpfmapd.sessions.opened", "outcome", "EPERM").count()).isEqualTo(1);
        assertThat(meters.counter("bpfmapd.sessions.opened", "outcome", "ok").count()).isEqualTo(1);
        assertThat(meters.get("bpfmapd.sessions.active").tag("access", "READ_ONLY").gauge().value()).isEqualTo(1);
        assertThat(meters.get("bpfmapd.sessions.mapped.bytes").gauge().value()).isEqualTo(4096);
    }

    @Test
    void aReadRacingTheCloseOfItsMappingIsSessionClosed() {
        Mapping closing = mock(Mapping.class);
        when(closing.length()).thenReturn(4096L);
        doThrow(new MappingClosedException("read: the mapping was closed", null))
                .when(closing).read(anyLong(), any(), anyInt(), anyInt());
        BpfMap map = mock(BpfMap.class);
        MapSpec spec = new MapSpec("m", MapType.ARRAY, 4, 8, 16, MapFlag.MMAPABLE.bit(), false);
        when(map.info()).thenReturn(new MapInfo(spec, 1, false, 0, 0, Optional.empty()));
        when(map.geometry()).thenReturn(MapGeometry.of(spec, 1, 4096));
        when(map.mmap(anyLong(), anyLong(), anyBoolean())).thenReturn(closing);
        BpfBackend mocked = mock(BpfBackend.class);
        when(mocked.kind()).thenReturn(BackendKind.KERNEL);
        when(mocked.availability()).thenReturn(Availability.ok("mock"));
        when(mocked.create(any())).thenReturn(map);
        when(mocked.geometry(any())).thenReturn(MapGeometry.of(spec, 1, 4096));
        ResourceLimits kernelLimits = new ResourceLimits(LimitsProperties.defaults());
        MapService kernelMaps = new MapService(List.of(mocked), new BackendProperties(BackendKind.KERNEL), api, clock,
                new SimpleMeterRegistry(), kernelLimits);
        SessionRegistry kernelSessions = new SessionRegistry(kernelMaps, new SessionProperties(Duration.ofSeconds(60),
                Duration.ofHours(1), Duration.ofSeconds(1)), api, clock, new SimpleMeterRegistry(), kernelLimits);
        String id = kernelMaps.create(new CreateMapRequest("m", MapType.ARRAY, 4, 8, 16, List.of(), null, null)).id();
        SessionResource s = kernelSessions.open(id, rw(60L), "a");

        assertThatThrownBy(() -> kernelSessions.read(s.id(), 0, 8L)).isInstanceOf(SessionClosedException.class);
    }

    private static OpenSessionRequest rw(Long ttl) {
        return new OpenSessionRequest(SessionAccess.READ_WRITE, null, null, ttl);
    }
}
