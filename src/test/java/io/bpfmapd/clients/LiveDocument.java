package io.bpfmapd.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The OpenAPI document as a user fetches it from the running service, kept in target/clients for the tools. */
final class LiveDocument {

    static final Path DIR = Path.of("target", "clients").toAbsolutePath();

    private LiveDocument() {
    }

    /** Fetches {@code /v3/api-docs} from the service on {@code port} and writes it to target/clients/openapi.json. */
    static Path fetch(int port) {
        ApiClient.Response response = ApiClient.at(port).get("/v3/api-docs");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        try {
            Files.createDirectories(DIR);
            return Files.writeString(DIR.resolve("openapi.json"), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
