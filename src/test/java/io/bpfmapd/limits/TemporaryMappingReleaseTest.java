package io.bpfmapd.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.TemporaryDataDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An octet-stream read of a whole MMAPABLE map holds a temporary mapping and a slot of
 * {@code max-sessions} until its body is written. A client that goes away at any point of that read
 * (before the body starts, in its middle, or one that only asked for the headers) must give both back:
 * otherwise a few crashed clients would use up the session limit and keep deleted maps' memory alive.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bpfmapd.kernel.enabled=false",
        "bpfmapd.limits.max-sessions=4",
})
@TemporaryDataDir
class TemporaryMappingReleaseTest {

    /** 1 Mi values of 64 bytes: 64 MiB, far more than the socket buffers hold, so the body is still being written when the client leaves. */
    private static final int ENTRIES = 1 << 20;
    private static final int VALUE_SIZE = 64;

    @LocalServerPort
    int port;

    @Autowired
    ResourceLimits limits;

    ApiClient api;
    String map;

    @BeforeEach
    void createMap() {
        api = ApiClient.at(port);
        var created = api.post("/api/v1/maps", """
                {"name": "leak", "type": "ARRAY", "valueSize": %d, "maxEntries": %d,
                 "backend": "EMULATED", "flags": ["MMAPABLE"]}""".formatted(VALUE_SIZE, ENTRIES));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        map = created.json().get("id").asString();
    }

    @AfterEach
    void deleteMap() {
        api.delete("/api/v1/maps/" + map);
    }

    @Test
    void aClientThatResetsBeforeReadingGivesTheSlotBack() throws IOException {
        for (int i = 0; i < 10; i++) {
            try (Socket socket = request("GET")) {
                socket.setSoLinger(true, 0); // close sends RST, as a crashed client's kernel does
            }
        }
        assertEverythingReleased();
    }

    @Test
    void aClientThatLeavesInTheMiddleOfTheBodyGivesTheSlotBack() throws IOException {
        for (int i = 0; i < 10; i++) {
            try (Socket socket = request("GET")) {
                InputStream in = socket.getInputStream();
                assertThat(in.readNBytes(64 * 1024)).hasSize(64 * 1024);
                socket.setSoLinger(true, 0);
            }
        }
        assertEverythingReleased();
    }

    @Test
    void aHeadRequestHoldsNothing() throws IOException {
        for (int i = 0; i < 10; i++) {
            try (Socket socket = request("HEAD")) {
                String head = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: " + ((long) VALUE_SIZE * ENTRIES));
            }
        }
        assertEverythingReleased();
    }

    /** Nothing held once the server has noticed, and the map still reads whole. */
    private void assertEverythingReleased() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(limits.sessions()).isZero());
        var whole = api.send("GET", "/api/v1/maps/" + map + "/values", null, null, "application/octet-stream");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.bytes()).hasSize(VALUE_SIZE * ENTRIES);
        assertThat(limits.sessions()).isZero();
    }

    private Socket request(String method) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write((method + " /api/v1/maps/" + map + "/values HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: application/octet-stream\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }
}
