package io.bpfmapd.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenRegistryTest {

    @TempDir
    Path dir;

    static String line(String name, String role, String token) {
        return name + ":" + role + ":" + TokenHash.sha256Hex(token) + "\n";
    }

    @Test
    void findsConfiguredAndFileTokensByTheirHash() throws IOException {
        Path file = Files.writeString(dir.resolve("tokens"), line("bot", "writer", "file-token"));
        var registry = new TokenRegistry(
                List.of(new TokenGrant("ops", Set.of(Role.ADMIN), TokenHash.sha256Hex("prop-token"))), file);

        assertThat(registry.find("prop-token")).get().extracting(TokenGrant::name).isEqualTo("ops");
        assertThat(registry.find("file-token")).get().extracting(TokenGrant::roles).isEqualTo(Set.of(Role.WRITER));
        assertThat(registry.find("other")).isEmpty();
        assertThat(registry.find(TokenHash.sha256Hex("file-token"))).as("the hash is not a token").isEmpty();
        assertThat(registry.size()).isEqualTo(2);
    }

    @Test
    void refusesAMissingFileAndTwoTokensWithOneHash() throws IOException {
        assertThatThrownBy(() -> new TokenRegistry(List.of(), dir.resolve("absent")))
                .hasMessageContaining("cannot read tokens file");
        Path file = Files.writeString(dir.resolve("tokens"), line("a", "reader", "same") + line("b", "admin", "same"));
        assertThatThrownBy(() -> new TokenRegistry(List.of(), file)).hasMessageContaining("same hash");
    }

    @Test
    void reloadSwapsTokensOnlyWhenTheFileChanges() throws IOException {
        Path file = Files.writeString(dir.resolve("tokens"), line("a", "reader", "old"));
        var registry = new TokenRegistry(List.of(), file);

        assertThat(registry.reloadIfChanged()).isFalse();
        Files.writeString(file, line("a", "reader", "new"));
        assertThat(registry.reloadIfChanged()).isTrue();

        assertThat(registry.find("old")).isEmpty();
        assertThat(registry.find("new")).isPresent();
    }

    @Test
    void aBrokenOrVanishedFileKeepsTheTokensLoadedBefore() throws IOException {
        Path file = Files.writeString(dir.resolve("tokens"), line("a", "reader", "kept"));
        var registry = new TokenRegistry(List.of(), file);

        Files.writeString(file, "a:reader:not-a-hash\n");
        assertThat(registry.reloadIfChanged()).isFalse();
        assertThat(registry.find("kept")).isPresent();

        Files.delete(file);
        assertThat(registry.reloadIfChanged()).isFalse();
        assertThat(registry.find("kept")).isPresent();
    }

    @Test
    void theWatcherPicksUpAKubernetesStyleSymlinkSwapWithoutRestart() throws IOException {
        // The kubelet writes a new ..data directory and swaps a symlink; the file path never changes.
        Path v1 = Files.createDirectory(dir.resolve("..2025_v1"));
        Files.writeString(v1.resolve("tokens"), line("a", "reader", "first"));
        Path data = Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Path file = Files.createSymbolicLink(dir.resolve("tokens"), Path.of("..data/tokens"));
        var registry = new TokenRegistry(List.of(), file);
        var watcher = new TokensFileWatcher(registry, Duration.ofMillis(20));
        watcher.start();
        try {
            Path v2 = Files.createDirectory(dir.resolve("..2025_v2"));
            Files.writeString(v2.resolve("tokens"), line("a", "reader", "second") + line("b", "admin", "third"));
            Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
            Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("second").isPresent());
            assertThat(registry.find("first")).isEmpty();
            assertThat(registry.find("third")).get().extracting(TokenGrant::name).isEqualTo("b");
        } finally {
            watcher.stop();
        }
        assertThat(watcher.isRunning()).isFalse();
    }

    @Test
    void withoutATokensFileTheWatcherStartsNoThread() {
        var watcher = new TokensFileWatcher(new TokenRegistry(List.of(), null), Duration.ofMillis(20));

        watcher.start();

        assertThat(watcher.isRunning()).isFalse();
    }
}
