package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.Availability;
import io.bpfmapd.testing.Requirement;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Backs {@link RequiresKernel}: a {@link Requirement} on the probe, and a check of the class for leaked fds and mappings. */
public final class KernelAvailableExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KernelAvailableExtension.class);
    private static final Availability PROBE = KernelProbe.run();

    @Override
    public void beforeAll(ExtensionContext context) {
        gate();
        context.getStore(NS).put("before", BpfResources.snapshot());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        gate();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        BpfResources before = context.getStore(NS).get("before", BpfResources.class);
        if (before == null) {
            return;
        }
        BpfResources after = BpfResources.snapshot();
        assertThat(after.bpfFds())
                .as("BPF file descriptors held after %s (before: %s)", context.getDisplayName(), before)
                .isLessThanOrEqualTo(before.bpfFds());
        assertThat(after.bpfMappings())
                .as("BPF map mappings held after %s (before: %s)", context.getDisplayName(), before)
                .isLessThanOrEqualTo(before.bpfMappings());
    }

    /** A {@link Requirement} on the kernel probe: fails in CI, skips elsewhere, with the probe's reason. */
    public static void gate() {
        Requirement.require("kernel backend", PROBE.available(), PROBE.reason());
    }
}
