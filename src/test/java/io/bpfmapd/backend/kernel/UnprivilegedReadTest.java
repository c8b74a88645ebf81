package io.bpfmapd.backend.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.testing.Requirement;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The premise of the no-capability sidecar (Linux 6.18, {@code kernel.unprivileged_bpf_disabled=2}): a
 * process of another uid with no capability at all opens an agent's {@code 0644} pin read-only
 * (BPF_OBJ_GET with BPF_F_RDONLY checks the pin's inode as open(2) would: bpf_obj_get_user,
 * kernel/bpf/inode.c), looks values up singly and in batches, but may not open it read-write (EACCES),
 * update it (EPERM: map_update_elem wants FMODE_CAN_WRITE) or map it, even PROT_READ (EINVAL: do_mmap
 * drops VM_SHARED for a file not opened for writing, and bpf_map_mmap in kernel/bpf/syscall.c wants it).
 * The child is a JVM on the service's own sys layer, run by {@code setpriv} (util-linux) as
 * {@code nobody} with every capability set cleared. Needs root to drop to nobody.
 */
@RequiresKernel
class UnprivilegedReadTest {

    private Path dir;

    @AfterEach
    void removePins() throws IOException {
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void aProcessWithoutCapabilitiesReadsA0644PinButNeitherWritesNorMapsIt() throws Exception {
        Path setpriv = Path.of("/usr/bin/setpriv");
        Requirement.require("setpriv", Files.isExecutable(setpriv), "no /usr/bin/setpriv: apt-get install util-linux");
        Requirement.require("root", "root".equals(System.getProperty("user.name")), "dropping to nobody needs root");
        Bpftool.require();
        dir = Files.createDirectory(PinDir.path("unprivileged"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path pin = dir.resolve("counters");
        Bpftool.run("map", "create", pin.toString(), "type", "array", "key", "4", "value", "8", "entries", "4",
                "name", "agent", "flags", "1024");
        Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("rw-r--r--"));
        Bpftool.update(pin, 1, new byte[] {42, 0, 0, 0, 0, 0, 0, 0});

        String java = ProcessHandle.current().info().command().orElseThrow();
        // Only the project's own class directories: the child needs no library, and nobody may not read ~/.m2.
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> Files.isDirectory(Path.of(p))).collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(setpriv.toString(), "--reuid=nobody", "--regid=nogroup",
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", java, "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath, ReadOnlyReader.class.getName(), pin.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child finished").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(out).as(out).contains(
                "open-rw EACCES",
                "open-ro ok",
                "lookup ok 2a00000000000000",
                "batch ok 4 00000000000000002a000000000000000000000000000000" + "0000000000000000",
                "update EPERM",
                "mmap-read EINVAL",
                "backend-available false",
                "backend-read-only-opens true",
                "backend-batch ok 4 2a00000000000000",
                "backend-open-rw unavailable");
        assertThat(child.exitValue()).isZero();
    }
}
