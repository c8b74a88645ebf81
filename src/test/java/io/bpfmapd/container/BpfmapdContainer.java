package io.bpfmapd.container;

import com.github.dockerjava.api.model.Capability;
import io.bpfmapd.security.TokenHash;
import io.bpfmapd.testing.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The service image run the way the Helm chart runs it: read-only root filesystem with a tmpfs
 * /tmp, every capability dropped, bearer tokens from a file. Kernel mode adds uid 0, CAP_SYS_ADMIN
 * (Docker 20.10 does not know CAP_BPF) and the host's bpffs.
 */
final class BpfmapdContainer extends GenericContainer<BpfmapdContainer> {

    static final int PORT = 8080;
    /** A token with the admin role; its SHA-256 is in {@link #TOKENS_FILE}. */
    static final String ADMIN_TOKEN = "it-admin-token";
    static final String TOKENS_FILE = "it-admin:admin:" + TokenHash.sha256Hex(ADMIN_TOKEN) + "\n";

    BpfmapdContainer() {
        super(org.testcontainers.utility.DockerImageName.parse(BpfmapdImage.get()));
        withExposedPorts(PORT);
        // A bind mount, as a Kubernetes Secret volume would be: nothing can be copied into a read-only root.
        withFileSystemBind(tokensFile().toString(), "/run/secrets/bpfmapd-tokens", BindMode.READ_ONLY);
        withEnv("BPFMAPD_SECURITY_TOKENSFILE", "/run/secrets/bpfmapd-tokens");
        withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,exec,size=64m"))
                .withCapDrop(Capability.ALL));
        waitingFor(Wait.forHttp("/actuator/health/readiness").forPort(PORT).forStatusCode(200)
                .withStartupTimeout(Duration.ofSeconds(120)));
    }

    private static Path tokensFile() {
        try {
            Path file = Files.createTempFile("bpfmapd-tokens", "");
            Files.writeString(file, TOKENS_FILE);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kernel mode: uid 0 with only CAP_SYS_ADMIN, the host's bpffs at the same path. */
    BpfmapdContainer withKernelBackend() {
        withCreateContainerCmdModifier(cmd -> {
            cmd.withUser("0:0");
            cmd.getHostConfig().withCapAdd(Capability.SYS_ADMIN);
        });
        withFileSystemBind("/sys/fs/bpf", "/sys/fs/bpf", BindMode.READ_WRITE);
        return self();
    }

    ApiClient api() {
        return new ApiClient("http://" + getHost() + ":" + getMappedPort(PORT), ADMIN_TOKEN);
    }
}
