package io.bpfmapd.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.BpfmapdApplication;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.map.CreateMapRequest;
import io.bpfmapd.map.MapService;
import io.bpfmapd.session.OpenSessionRequest;
import io.bpfmapd.session.SessionAccess;
import io.bpfmapd.session.SessionRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Closing the application releases every session, then every map handle, then the backends. */
class ShutdownTest {

    @Test
    void shutdownReleasesSessionsAndMapsBeforeTheBackends() {
        ConfigurableApplicationContext context = SpringApplication.run(BpfmapdApplication.class, "--server.port=0",
                "--bpfmapd.kernel.enabled=false", "--bpfmapd.emulated.data-dir=target/shutdown-data");
        MapService maps = context.getBean(MapService.class);
        SessionRegistry sessions = context.getBean(SessionRegistry.class);
        EmulatedBackend emulated = context.getBean(EmulatedBackend.class);
        String kept = maps.create(new CreateMapRequest("kept", MapType.ARRAY, 4, 8, 512, List.of(MapFlag.MMAPABLE),
                null, null)).id();
        String deleted = maps.create(new CreateMapRequest("deleted", MapType.ARRAY, 4, 8, 512,
                List.of(MapFlag.MMAPABLE), null, null)).id();
        sessions.open(kept, new OpenSessionRequest(SessionAccess.READ_WRITE, null, null, 600L), "a");
        sessions.open(kept, new OpenSessionRequest(SessionAccess.READ_ONLY, null, null, 600L), "a");
        sessions.open(deleted, new OpenSessionRequest(SessionAccess.READ_WRITE, null, null, 600L), "a");
        maps.delete(deleted);
        // the deleted map lives on in its session's mapping
        assertThat(emulated.liveMapCount()).isEqualTo(2);

        context.close();

        assertThat(sessions.size()).isZero();
        assertThat(maps.list()).isEmpty();
        assertThat(emulated.liveMapCount()).isZero();
    }
}
