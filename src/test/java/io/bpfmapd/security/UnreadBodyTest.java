package io.bpfmapd.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.TemporaryDataDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A body refused before its end (here a session write longer than the window) is still read to its end
 * by the service, so that the client, which may still be sending it, gets the problem and keeps its
 * connection: the server closing the connection under a client mid-write is a broken pipe for the
 * client, not an answer (security/UnreadBodyDrain; HostileInputProperties met it on Jetty).
 */
@TemporaryDataDir
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnreadBodyTest {

    @LocalServerPort
    int port;

    @Test
    void aWriteRefusedBeforeItsEndIsAnsweredAndTheConnectionServesTheNextRequest() throws Exception {
        ApiClient api = ApiClient.at(port);
        String map = api.post("/api/v1/maps", "{\"name\": \"unread\", \"type\": \"ARRAY\", \"valueSize\": 8, "
                + "\"maxEntries\": 16, \"flags\": [\"MMAPABLE\"]}").json("$.id");
        String session = api.post("/api/v1/maps/" + map + "/sessions", "{\"access\": \"READ_WRITE\"}").json("$.id");
        int length = 20_000; // the window is one 4 KiB page

        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/v1/sessions/" + session + "/memory HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[5_000]);
            out.flush();
            Thread.sleep(500); // the service reads past the window and refuses while the rest is still to come
            out.write(new byte[length - 5_000]);
            out.flush();
            String first = response(socket.getInputStream());
            assertThat(first).startsWith("HTTP/1.1 400").contains("\"errno\":\"EINVAL\"")
                    .doesNotContainIgnoringCase("connection: close");

            out.write(("GET /api/v1/maps/" + map + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(response(socket.getInputStream())).as("the same connection's next request").startsWith("HTTP/1.1 200");
        }
        assertThat(api.delete("/api/v1/sessions/" + session).status()).isEqualTo(204);
    }

    /** One response: its head, then Content-Length bytes or chunks up to the last. */
    private static String response(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase();
        StringBuilder body = new StringBuilder();
        int at = lower.indexOf("content-length: ");
        if (at >= 0) {
            int n = Integer.parseInt(lower.substring(at + 16, lower.indexOf("\r\n", at)).strip());
            body.append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
        } else if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                String size = line(in);
                int n = Integer.parseInt(size.strip(), 16);
                body.append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
                line(in);
                if (n == 0) {
                    break;
                }
            }
        }
        return head + body.toString();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
