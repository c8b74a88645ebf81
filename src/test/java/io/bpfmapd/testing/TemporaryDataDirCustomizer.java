package io.bpfmapd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * What {@link TemporaryDataDir} does to a context. Part of the context cache's key: customizers of the
 * same {@code key} (a test class's name, or a {@link TemporaryDataDir#shared} name) are equal, so only
 * classes of one key can share a context.
 */
record TemporaryDataDirCustomizer(String key) implements ContextCustomizer {

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        Path dir;
        try {
            dir = Files.createTempDirectory("bpfmapd-data-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory", e);
        }
        context.getEnvironment().getPropertySources().addFirst(
                new MapPropertySource("temporaryDataDir", Map.of(TemporaryDataDir.PROPERTY, dir.toString())));
        // Registered before any bean exists, so destroyed after all of them: the backend has unmapped
        // its maps and released the directory's lock by then.
        ((DefaultSingletonBeanRegistry) context.getBeanFactory())
                .registerDisposableBean("temporaryDataDir", () -> DirectoryTree.delete(dir));
    }

    /** Registered by {@link TemporaryDataDir}'s meta-annotation. */
    static final class Factory implements ContextCustomizerFactory {

        @Override
        public ContextCustomizer createContextCustomizer(Class<?> testClass,
                List<ContextConfigurationAttributes> configAttributes) {
            TemporaryDataDir annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, TemporaryDataDir.class);
            if (annotation == null) {
                return null;
            }
            return new TemporaryDataDirCustomizer(annotation.shared().isEmpty() ? "class " + testClass.getName()
                    : "shared " + annotation.shared());
        }
    }
}
