package io.bpfmapd.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.TemporaryDataDir;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A reader that starts whole-map downloads and never reads them (a raw socket with a tiny receive
 * buffer) holds one temporary mapping per download. Those are its own sessions: it cannot take the
 * slots a writer's sessions need, they show in the metrics and in the map's session counts, and each is
 * released within {@code stream-stall-timeout}, with the response aborted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bpfmapd.kernel.enabled=false",
        "bpfmapd.limits.max-sessions=6",
        "bpfmapd.limits.max-sessions-per-principal=2",
        "bpfmapd.limits.stream-stall-timeout=2s",
        "bpfmapd.security.tokens[0].name=admin",
        "bpfmapd.security.tokens[0].roles=admin",
        "bpfmapd.security.tokens[0].sha256=8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918",
        "bpfmapd.security.tokens[1].name=reader",
        "bpfmapd.security.tokens[1].roles=reader",
        "bpfmapd.security.tokens[1].sha256=3d0941964aa3ebdcb00ccef58b1bb399f9f898465e9886d5aec7f31090a0fb30",
        "bpfmapd.security.tokens[2].name=writer",
        "bpfmapd.security.tokens[2].roles=writer",
        "bpfmapd.security.tokens[2].sha256=b93006774cbdd4b299389a03ac3d88c3a76b460d538795bc12718011a909fba5",
})
@TemporaryDataDir
class StalledReadersTest {

    /** 64 MiB: far more than the socket buffers hold, so a client that never reads stalls the body. */
    private static final int ENTRIES = 1 << 20;
    private static final int VALUE_SIZE = 64;
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(2);

    @LocalServerPort
    int port;

    @Autowired
    ResourceLimits limits;

    @Autowired
    MeterRegistry meters;

    ApiClient admin;
    String map;
    final List<Socket> stalled = new ArrayList<>();

    @BeforeEach
    void createMap() {
        admin = ApiClient.at(port).as("admin");
        var created = admin.post("/api/v1/maps", """
                {"name": "big", "type": "ARRAY", "valueSize": %d, "maxEntries": %d,
                 "backend": "EMULATED", "flags": ["MMAPABLE"]}""".formatted(VALUE_SIZE, ENTRIES));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        map = created.json().get("id").asString();
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (Socket s : stalled) {
            s.setSoLinger(true, 0);
            s.close();
        }
        for (var s : admin.get("/api/v1/sessions").json()) {
            admin.delete("/api/v1/sessions/" + s.get("id").asString());
        }
        admin.delete("/api/v1/maps/" + map);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(limits.sessions()).isZero());
    }

    @Test
    void stalledDownloadsTakeOnlyTheirPrincipalsSlotsAndAreReleasedWithinTheBound() throws IOException {
        double stalledBefore = meters.get("bpfmapd.sessions.temporary.stalled").counter().count();
        for (int i = 0; i < 7; i++) {
            stalled.add(stalledDownload("reader"));
        }
        long held = System.nanoTime();
        // two hold a mapping each (the reader's own limit); the other five were refused
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(limits.temporaryMappings()).isEqualTo(2));
        assertThat(limits.sessions("reader")).isEqualTo(2);
        assertThat(meters.get("bpfmapd.sessions.temporary").gauge().value()).isEqualTo(2);
        assertThat(meters.get("bpfmapd.mapped.bytes").gauge().value()).isEqualTo(2.0 * VALUE_SIZE * ENTRIES);
        var shown = admin.get("/api/v1/maps/" + map).json().get("sessions");
        assertThat(shown.get("temporary").asInt()).isEqualTo(2);
        assertThat(shown.get("active").asInt()).as("they are no sessions: GET /sessions lists none").isZero();
        ApiClient reader = admin.as("reader");
        var third = reader.getBytes("/api/v1/maps/" + map + "/values");
        assertThat(third.status()).as(third.body()).isEqualTo(429);
        assertThat(third.json().get("errno").asString()).isEqualTo("EMFILE");

        // the writer's sessions still open: all four slots the reader's two leave
        ApiClient writer = admin.as("writer");
        for (int i = 0; i < 2; i++) {
            var open = writer.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\"}");
            assertThat(open.status()).as(open.body()).isEqualTo(201);
        }

        // released within the bound, though the clients are still connected and still do not read
        await().atMost(STALL_TIMEOUT.plusSeconds(3)).untilAsserted(() -> {
            assertThat(limits.temporaryMappings()).isZero();
            assertThat(limits.sessions("reader")).isZero();
        });
        assertThat(Duration.ofNanos(System.nanoTime() - held)).isLessThan(STALL_TIMEOUT.plusSeconds(3));
        assertThat(meters.get("bpfmapd.sessions.temporary").gauge().value()).isZero();
        assertThat(meters.get("bpfmapd.sessions.temporary.stalled").counter().count() - stalledBefore).isEqualTo(2);
        assertThat(admin.get("/api/v1/maps/" + map).json().get("sessions").has("temporary")).isFalse();
        assertThat(limits.sessions()).as("the writer's two sessions").isEqualTo(2);

        // a stalled client that reads again finds its response cut short of its Content-Length
        for (Socket s : stalled) {
            s.setSoTimeout(20_000);
            byte[] got = s.getInputStream().readAllBytes();
            String head = new String(got, 0, Math.min(got.length, 512), StandardCharsets.US_ASCII);
            if (head.startsWith("HTTP/1.1 200")) {
                assertThat((long) got.length).isLessThan((long) VALUE_SIZE * ENTRIES);
            } else {
                assertThat(head).startsWith("HTTP/1.1 429");
            }
        }

        // and a reader that reads gets the whole map
        var whole = reader.getBytes("/api/v1/maps/" + map + "/values");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.bytes()).hasSize(VALUE_SIZE * ENTRIES);
    }

    /** A whole-map download whose client never reads: its receive buffer as small as the kernel allows. */
    private Socket stalledDownload(String token) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024); // before connect, so the window it advertises stays small
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/maps/" + map + "/values HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Accept: application/octet-stream\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }
}
