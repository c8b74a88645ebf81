package io.bpfmapd.clients.java;

import io.bpfmapd.client.ApiClient;
import io.bpfmapd.client.ApiException;
import io.bpfmapd.client.api.MapsApi;
import io.bpfmapd.client.api.SessionsApi;
import io.bpfmapd.client.model.MemoryWriteRequest;
import io.bpfmapd.client.model.Problem;
import java.io.File;
import java.nio.file.Files;
import java.util.Base64;

/** How the {@code native} client is set up and how it reports a refusal: an ApiException with the body. */
final class Calls {

    private Calls() {
    }

    static ApiClient client(String baseUrl, String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUrl);
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }

    static MapsApi maps(String baseUrl, String token) {
        return new MapsApi(client(baseUrl, token));
    }

    static SessionsApi sessions(String baseUrl, String token) {
        return new SessionsApi(client(baseUrl, token));
    }

    /** The problem the call was refused with, read through the generated model; fails if it succeeded. */
    static Problem problem(Scenarios.Call call) throws Exception {
        try {
            call.run();
        } catch (ApiException e) {
            Problem problem = new ApiClient().getObjectMapper().readValue(e.getResponseBody(), Problem.class);
            Scenarios.check(problem.getStatus() == e.getCode(), "status " + problem.getStatus() + " in the body, "
                    + e.getCode() + " on the wire");
            Scenarios.check(e.getResponseHeaders().firstValue("Content-Type").orElse("")
                    .startsWith("application/problem+json"), "content type of " + e.getResponseHeaders());
            return problem;
        }
        throw new AssertionError("the call succeeded; a problem was expected");
    }

    /** The bytes of a download: the native client saves it to a temporary file. */
    static byte[] bytes(File file) throws Exception {
        try {
            return Files.readAllBytes(file.toPath());
        } finally {
            Files.deleteIfExists(file.toPath());
        }
    }

    /**
     * Writes raw bytes through a session. The native library JSON-encodes every request body that is not a
     * string, a {@code File} included, so its {@code writeMemoryBytes} would send the file's path: with this
     * library, bytes go through {@code writeMemory} as base64 (docs/clients.md).
     */
    static void writeBytes(SessionsApi sessions, String sid, long offset, byte[] bytes) throws Exception {
        sessions.writeMemory(sid, new MemoryWriteRequest().base64(Base64.getEncoder().encodeToString(bytes)), offset);
    }
}
