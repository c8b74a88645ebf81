package io.bpfmapd.backend.kernel;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that needs the real kernel backend, a {@link io.bpfmapd.testing.Requirement} on the kernel
 * probe: where the probe says no, the test FAILS with the probe's reason when {@code CI=true} (CI runs
 * as root on a real kernel, so a missing backend is a broken CI) and is skipped with that reason elsewhere. The class also fails if it leaves behind more BPF file
 * descriptors or mappings than it found.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KernelAvailableExtension.class)
public @interface RequiresKernel {
}
