package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.Availability;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Backs {@link RequiresKernel}: gate on the probe, and check the class for leaked fds and mappings. */
final class KernelAvailableExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KernelAvailableExtension.class);
    private static final Availability PROBE = KernelProbe.run();

    static Availability probe() {
        return PROBE;
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

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

    private static void gate() {
        gate(PROBE, inCi());
    }

    static void gate(Availability probe, boolean ci) {
        if (probe.available()) {
            return;
        }
        String why = "kernel backend unavailable: " + probe.reason();
        if (ci) {
            fail(why + " (CI=true: kernel tests must run in CI)");
        }
        assumeTrue(false, why);
    }
}
