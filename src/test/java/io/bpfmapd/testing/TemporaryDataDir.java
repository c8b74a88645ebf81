package io.bpfmapd.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * A whole-app test's emulated data directory: each application context the test starts gets a new
 * empty temporary directory as {@code bpfmapd.emulated.data-dir}, deleted when that context closes.
 * A fixed path would carry pins and {@code pins.json} from one run into the next, and two cached
 * contexts on one path would refuse each other (the data directory's lock); a class-scoped
 * {@code @TempDir} would be deleted under a context the cache keeps for later classes. The test reads
 * it with {@code @Value("${bpfmapd.emulated.data-dir}") Path dataDir}.
 *
 * <p>Each annotated class gets a context of its own, as a data directory of its own gave it before,
 * unless classes name one {@link #shared} directory: those with the same configuration then share one
 * context, and so one directory.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ContextCustomizerFactories(TemporaryDataDirCustomizer.Factory.class)
public @interface TemporaryDataDir {

    /** The property this annotation sets. */
    String PROPERTY = "bpfmapd.emulated.data-dir";

    /** A name for a directory (and context) that classes share; empty: one for this class alone. */
    String shared() default "";
}
