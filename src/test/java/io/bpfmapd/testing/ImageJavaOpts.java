package io.bpfmapd.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The image's JVM options, as docker/Dockerfile sets them: tests that must run or ship the same read them here. */
public final class ImageJavaOpts {

    private static final Pattern JAVA_OPTS = Pattern.compile("JAVA_OPTS=\"([^\"]*)\"");

    private ImageJavaOpts() {
    }

    /** The value of {@code ENV JAVA_OPTS} in docker/Dockerfile, as written there. */
    public static String value() {
        try {
            Matcher m = JAVA_OPTS.matcher(Files.readString(Path.of("docker/Dockerfile")));
            assertThat(m.find()).as("JAVA_OPTS in docker/Dockerfile").isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
