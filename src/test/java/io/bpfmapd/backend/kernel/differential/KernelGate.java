package io.bpfmapd.backend.kernel.differential;

import io.bpfmapd.backend.Availability;
import io.bpfmapd.backend.kernel.KernelProbe;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code @RequiresKernel} for jqwik, which does not run JUnit Jupiter extensions: skip with the probe's
 * reason where the kernel backend is unavailable, fail instead under {@code CI=true}; and choose the
 * number of tries (at least {@value #CI_TRIES} in CI).
 */
public final class KernelGate implements SkipExecutionHook, AroundPropertyHook {

    static final int CI_TRIES = 1000;
    static final int LOCAL_TRIES = 1000;
    private static final Availability PROBE = KernelProbe.run();

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Called from {@code @BeforeContainer}: in CI a missing kernel is a failure, not a skip. */
    static void failInCiWithoutKernel() {
        if (!PROBE.available() && inCi()) {
            fail("kernel backend unavailable: " + PROBE.reason() + " (CI=true: kernel tests must run in CI)");
        }
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        if (PROBE.available() || inCi()) {
            return SkipResult.doNotSkip();
        }
        return SkipResult.skip("kernel backend unavailable: " + PROBE.reason());
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        int tries = Integer.getInteger("bpfmapd.differential.tries", LOCAL_TRIES);
        context.attributes().setTries(inCi() ? Math.max(CI_TRIES, tries) : tries);
        return property.execute();
    }
}
