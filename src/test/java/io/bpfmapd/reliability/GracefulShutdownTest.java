package io.bpfmapd.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.ApiClient.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM with a request in flight: a 32 MiB octet-stream read of a whole map, drawn
 * slowly by the client, completes with every byte while the service refuses new connections; then the
 * process exits, having released every session.
 */
class GracefulShutdownTest {

    static final int VALUE_SIZE = 64;
    static final int ENTRIES = 1 << 19;
    static final long DATA_SIZE = (long) VALUE_SIZE * ENTRIES;

    @TempDir
    Path dir;

    @Test
    void anInFlightReadCompletesWhileNewConnectionsAreRefused() throws Exception {
        try (ServiceProcess service = new ServiceProcess(dir, "graceful")) {
            ApiClient api = service.api;
            String map = ApiState.createMap(api, "{\"name\": \"big\", \"type\": \"ARRAY\", \"valueSize\": " + VALUE_SIZE
                    + ", \"maxEntries\": " + ENTRIES + ", \"flags\": [\"MMAPABLE\"]}");
            for (int index : new int[] {0, ENTRIES / 2, ENTRIES - 1}) {
                assertThat(api.put("/api/v1/maps/" + map + "/values/" + index,
                        "{\"u64\": [" + marker(index) + ", 0, 0, 0, 0, 0, 0, 0]}").status()).isEqualTo(204);
            }
            ApiState.openSession(api, map, "READ_WRITE");
            ApiState.openSession(api, map, "READ_ONLY");

            AtomicLong received = new AtomicLong();
            Socket socket = new Socket();
            socket.setReceiveBufferSize(64 * 1024); // so that the server's writes block on this slow reader
            socket.connect(new InetSocketAddress("127.0.0.1", service.port), 5000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /api/v1/maps/" + map + "/values HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: application/octet-stream\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<byte[]> slowRead = CompletableFuture.supplyAsync(() -> readSlowly(socket, received));
            while (received.get() < 1 << 20) {
                assertThat(slowRead).as("the read ended before SIGTERM").isNotDone();
                ServiceProcess.sleep(10);
            }

            Instant sigterm = Instant.now();
            service.process.destroy(); // SIGTERM
            Instant giveUp = sigterm.plusSeconds(10);
            while (true) {
                assertThat(Instant.now()).as("new connections still accepted 10 s after SIGTERM").isBefore(giveUp);
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", service.port), 1000);
                } catch (ConnectException refused) {
                    break;
                }
                ServiceProcess.sleep(50);
            }
            long atRefusal = received.get();
            assertThat(atRefusal).as("the read is still in flight when new connections are refused").isLessThan(DATA_SIZE);
            // A request on a new connection is refused; one on a connection the client kept alive from
            // before SIGTERM is still answered by Jetty's graceful shutdown, with "Connection: close".
            assertThatThrownBy(() -> java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + service.port + "/api/v1/maps")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding())).isInstanceOf(ConnectException.class);
            try {
                Response kept = api.get("/api/v1/maps");
                System.out.printf("graceful shutdown: a kept-alive connection got %d, Connection: %s%n", kept.status(),
                        kept.headers().firstValue("Connection").orElse("-"));
                assertThat(kept.headers().firstValue("Connection")).hasValue("close");
            } catch (RuntimeException refused) {
                assertThat(refused).hasRootCauseInstanceOf(IOException.class);
            }

            byte[] response = slowRead.get(60, TimeUnit.SECONDS);
            Duration drained = Duration.between(sigterm, Instant.now());
            String text = new String(response, 0, Math.min(response.length, 2000), StandardCharsets.ISO_8859_1);
            int headerEnd = text.indexOf("\r\n\r\n");
            assertThat(headerEnd).as(text).isPositive();
            String head = text.substring(0, headerEnd);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: " + DATA_SIZE);
            ByteBuffer body = ByteBuffer.wrap(response, headerEnd + 4, response.length - headerEnd - 4).slice()
                    .order(ByteOrder.nativeOrder());
            assertThat((long) body.remaining()).as("every byte of the in-flight read").isEqualTo(DATA_SIZE);
            for (int index : new int[] {0, ENTRIES / 2, ENTRIES - 1}) {
                assertThat(body.getLong(index * VALUE_SIZE)).as("value %d", index).isEqualTo(marker(index));
            }
            assertThat(body.getLong(7 * VALUE_SIZE)).isZero();

            int exit = service.awaitExit();
            // 128 + SIGTERM: the JVM's status for a process ended by the signal, after its shutdown hooks
            // (Spring's graceful shutdown) ran to the end; docs/operations.md, "Stopping".
            assertThat(exit).as(service.tail()).isEqualTo(ServiceProcess.SIGTERM_EXIT);
            assertThat(service.tail()).contains("released 2 open sessions at shutdown");
            System.out.printf("graceful shutdown: %d MiB read in flight at SIGTERM completed %d ms after it "
                    + "(%d KiB had arrived when new connections were refused); exit %d%n", DATA_SIZE >> 20,
                    drained.toMillis(), atRefusal >> 10, exit);
        }
    }

    private static long marker(int index) {
        return 0x5107_0000_0000L + index;
    }

    /** Reads the whole response, 256 KiB every 40 ms: about 5 s for 32 MiB, well inside the shutdown phase. */
    private static byte[] readSlowly(Socket socket, AtomicLong received) {
        try (socket; InputStream in = socket.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) DATA_SIZE + 1024);
            byte[] chunk = new byte[256 * 1024];
            while (true) {
                int n = in.readNBytes(chunk, 0, chunk.length);
                out.write(chunk, 0, n);
                received.addAndGet(n);
                if (n < chunk.length) {
                    return out.toByteArray();
                }
                Thread.sleep(40);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the in-flight read failed after " + received.get() + " bytes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
