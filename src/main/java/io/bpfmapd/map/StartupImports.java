package io.bpfmapd.map;

import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.config.KernelProperties;
import io.bpfmapd.web.LogValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Imports the configured kernel maps once the context is up and before the service reports itself
 * ready. A map brought back from the pin state file is held already (EEXIST) and left as it is; a map
 * the agent has not pinned yet, or any other refusal, is a WARN line and never fails the start: the
 * operator can import it later through the API.
 */
@Component
class StartupImports {

    private static final Logger log = LoggerFactory.getLogger(StartupImports.class);

    private final PinService pins;
    private final KernelProperties properties;

    StartupImports(PinService pins, KernelProperties properties) {
        this.pins = pins;
        this.properties = properties;
    }

    @EventListener(ApplicationStartedEvent.class)
    void importConfigured() {
        for (String path : properties.imports()) {
            try {
                MapService.MapView map = pins.importMap(new ImportMapRequest(path, null, BackendKind.KERNEL));
                log.info("imported {} at start-up as map {}", LogValue.of(path), map.id());
            } catch (BpfException e) {
                if (e.errno() == Errno.EEXIST) {
                    log.info("{} is held already (brought back from the pin state)", LogValue.of(path));
                } else {
                    log.warn("cannot import {} at start-up: {} ({})", LogValue.of(path), e.errno(), LogValue.of(e.getMessage()));
                }
            } catch (RuntimeException e) {
                log.warn("cannot import {} at start-up: {}", LogValue.of(path), LogValue.of(e.getMessage()));
            }
        }
    }
}
