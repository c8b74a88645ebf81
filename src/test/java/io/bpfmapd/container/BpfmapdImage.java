package io.bpfmapd.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The service image, built once per test run from docker/Dockerfile and the jar that `package` just
 * made, on the registry-free base image (docker/build-base-image.sh, run here too so that
 * `./mvnw verify` alone works; it returns at once when the base is up to date). Only the three files
 * the Dockerfile copies are sent as the build context.
 */
final class BpfmapdImage {

    static final String NAME = "bpfmapd:it";

    private static String built;

    private BpfmapdImage() {
    }

    static synchronized String get() {
        if (built != null) {
            return built;
        }
        Path root = Path.of("").toAbsolutePath();
        Path jar = Path.of(System.getProperty("bpfmapd.it.jar", "target/bpfmapd-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no application jar at " + jar + ": run `./mvnw verify`, which packages it first");
        }
        if (!hasSpringAotCode(jar)) {
            // The image runs with -Dspring.aot.enabled=true; its training run would fail on this jar.
            throw new IllegalStateException(jar + " has no Spring AOT code: Maven ran on a JDK older than 25; "
                    + "build with ./mvnw, which runs it on a JDK 25 where one is installed (docs/testing.md)");
        }
        String base = System.getProperty("bpfmapd.it.base-image", "bpfmapd-base:local");
        buildBaseImage(root, base);
        String previous = imageId(NAME);
        new ImageFromDockerfile(NAME, false)
                .withFileFromPath("docker/Dockerfile", root.resolve("docker/Dockerfile"))
                .withFileFromPath("docker/healthcheck.sh", root.resolve("docker/healthcheck.sh"))
                .withFileFromPath("target/" + jar.getFileName(), jar)
                .withDockerfilePath("docker/Dockerfile")
                .withBuildArg("BASE_IMAGE", base)
                .get();
        // Each build replaces the image; drop the one it replaced so runs do not pile up images.
        String current = imageId(NAME);
        if (previous != null && !previous.equals(current)) {
            try {
                DockerClientFactory.lazyClient().removeImageCmd(previous).exec();
            } catch (RuntimeException inUse) {
                // still used by a container someone else started: leave it
            }
        }
        built = NAME;
        return built;
    }

    private static boolean hasSpringAotCode(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry("BOOT-INF/classes/io/bpfmapd/BpfmapdApplication__ApplicationContextInitializer.class") != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void buildBaseImage(Path root, String base) {
        Path script = root.resolve("docker/build-base-image.sh");
        try {
            Process process = new ProcessBuilder(script.toString(), base).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(script + " failed with exit code " + process.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String imageId(String name) {
        try {
            return DockerClientFactory.lazyClient().inspectImageCmd(name).exec().getId();
        } catch (RuntimeException notFound) {
            return null;
        }
    }
}
