package io.bpfmapd.config;

import io.bpfmapd.backend.Availability;
import io.bpfmapd.backend.BackendKind;
import io.bpfmapd.backend.BpfBackend;
import io.bpfmapd.backend.PossibleCpus;
import io.bpfmapd.backend.emulated.EmulatedBackend;
import io.bpfmapd.backend.kernel.KernelBackend;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The backends. Each bean is closed by the container after the map service (which depends on it) has
 * closed its handles, and that after the session registry has released every mapping.
 */
@Configuration(proxyBeanMethods = false)
class BackendConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BackendConfiguration.class);
    private static final String DISABLED = "disabled by bpfmapd.kernel.enabled=false";

    /** Always there: needs neither root nor a kernel with BPF. */
    @Bean(destroyMethod = "close")
    EmulatedBackend emulatedBackend(EmulatedProperties properties) {
        int cpus = properties.possibleCpus() > 0 ? properties.possibleCpus() : PossibleCpus.count();
        return new EmulatedBackend(properties.dataDir(), cpus, properties.maxMapBytes().toBytes());
    }

    /**
     * The real kernel. It probes once (can it create an MMAPABLE array here?) and, where it cannot,
     * reports itself unavailable instead of failing the start. With {@code bpfmapd.kernel.enabled=false}
     * it does not probe and reports itself disabled. The bean exists either way, decided here and not
     * by a condition: with Spring AOT (the image) conditions are evaluated when the jar is built, so a
     * conditional bean would ignore the operator's setting.
     */
    @Bean(destroyMethod = "close")
    KernelBackend kernelBackend(KernelProperties properties) {
        return properties.enabled() ? new KernelBackend() : KernelBackend.disabled(DISABLED);
    }

    /** Says once, at startup, which backends work here and why not where they don't. */
    @EventListener(ApplicationReadyEvent.class)
    void logAvailability(ApplicationReadyEvent event) {
        List<BpfBackend> backends = event.getApplicationContext().getBeanProvider(BpfBackend.class).orderedStream().toList();
        BackendProperties properties = event.getApplicationContext().getBean(BackendProperties.class);
        boolean kernelEnabled = event.getApplicationContext().getBean(KernelProperties.class).enabled();
        for (BpfBackend backend : backends) {
            Availability a = backend.availability();
            if (a.available()) {
                log.info("backend {} is available: {}", backend.kind(), a.reason());
            } else if (backend.kind() == BackendKind.KERNEL && !kernelEnabled) {
                log.info("backend {} is off: {}", backend.kind(), a.reason());
            } else {
                log.warn("backend {} is NOT available here: {}", backend.kind(), a.reason());
            }
        }
        if (backends.stream().noneMatch(b -> b.kind() == properties.defaultKind() && b.availability().available())) {
            log.warn("the default backend {} (bpfmapd.backend.default) does not work here: maps created without "
                    + "\"backend\" will be refused with 503", properties.defaultKind());
        }
    }
}
