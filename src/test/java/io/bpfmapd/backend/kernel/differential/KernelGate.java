package io.bpfmapd.backend.kernel.differential;

import io.bpfmapd.backend.kernel.KernelAvailableExtension;
import io.bpfmapd.testing.Requirement;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.opentest4j.TestAbortedException;

/**
 * {@code @RequiresKernel} for jqwik, which does not run JUnit Jupiter extensions: the same
 * {@link Requirement} on the kernel probe (skip with its reason elsewhere; in CI the container's
 * {@code @BeforeContainer} calls {@link KernelAvailableExtension#gate()}, which fails the run); and the
 * number of tries: {@value #LOCAL_TRIES} by default on a workstation, at least {@value #CI_TRIES} in CI.
 */
public final class KernelGate implements SkipExecutionHook, AroundPropertyHook {

    static final int CI_TRIES = 1000;
    static final int LOCAL_TRIES = 200;

    /** The tries of a run: {@code -Dbpfmapd.differential.tries} if given, never fewer than {@value #CI_TRIES} in CI. */
    static int tries(boolean ci, Integer requested) {
        int tries = requested == null ? LOCAL_TRIES : requested;
        return ci ? Math.max(CI_TRIES, tries) : tries;
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        if (Requirement.inCi()) {
            return SkipResult.doNotSkip();
        }
        try {
            KernelAvailableExtension.gate();
            return SkipResult.doNotSkip();
        } catch (TestAbortedException unavailable) {
            return SkipResult.skip(unavailable.getMessage());
        }
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        context.attributes().setTries(tries(Requirement.inCi(), Integer.getInteger("bpfmapd.differential.tries")));
        return property.execute();
    }
}
