// The client side of src/bench/streams.sh: a JDK 25 single-file program (java StreamsClient.java ...),
// no dependencies. It measures the server it is pointed at; it never starts one.
//
//   fanout BASE MAP SUBSCRIBERS SECONDS SERVER_PID  -> "cpu_per_s p99_delay_ms events p50_delay_ms"
//       SUBSCRIBERS value streams (u64, 100 ms) on the whole map while a writer changes 1% of it (one
//       contiguous block of entries/100 elements, set to the round number) every 100 ms through a
//       READ_WRITE session. Server CPU: utime+stime of SERVER_PID over SECONDS (after a warm-up).
//       Delay: from just before a round's write to a subscriber reading the event that carries it.
//   idle BASE MAP SUBSCRIBERS SERVER_PID JCMD        -> "heap_before_bytes heap_after_bytes"
//       heap used after a full GC (jcmd GC.run) before and with SUBSCRIBERS idle streams open.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class StreamsClient {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** A u64 value's first element: a decimal string since the 64-bit formats became strings (docs/api.md). */
    static final Pattern U64 = Pattern.compile("\"u64\":\\[\"?(\\d+)");
    static final int ROUNDS = 1 << 16;
    static final long[] writtenAt = new long[ROUNDS];

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "fanout" -> fanout(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Long.parseLong(args[5]));
            case "idle" -> idle(args[1], args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]), args[5]);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    static void fanout(String base, String map, int subscribers, int seconds, long pid) throws Exception {
        String info = get(base + "/api/v1/maps/" + map);
        int entries = Integer.parseInt(field(info, "maxEntries"));
        String session = field(post(base + "/api/v1/maps/" + map + "/sessions",
                "{\"access\":\"READ_WRITE\",\"ttlSeconds\":3600}"), "id");
        ConcurrentLinkedQueue<Long> delays = new ConcurrentLinkedQueue<>();
        AtomicLong events = new AtomicLong();
        CountDownLatch snapshots = new CountDownLatch(subscribers);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            readers.add(Thread.ofVirtual().start(() -> subscribe(base + "/api/v1/maps/" + map
                    + "/values/stream?format=u64&interval=100ms", snapshots, delays, events)));
        }
        if (!snapshots.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not every subscriber got its snapshot");
        }
        int block = Math.max(1, entries / 100);
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        long cpuStart = -1;
        int round = 1;
        ByteBuffer body = ByteBuffer.allocate(block * 8).order(ByteOrder.LITTLE_ENDIAN);
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            if (cpuStart < 0 && System.nanoTime() >= warmupEnd) {
                cpuStart = cpuTicks(pid);
                delays.clear();
                events.set(0);
            }
            body.clear();
            for (int i = 0; i < block; i++) {
                body.putLong(round);
            }
            int at = ThreadLocalRandom.current().nextInt(entries - block + 1);
            writtenAt[round % ROUNDS] = System.nanoTime();
            HttpResponse<String> w = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sessions/" + session
                            + "/memory?offset=" + (long) at * 8)).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body.array())).build(), HttpResponse.BodyHandlers.ofString());
            if (w.statusCode() != 204) {
                throw new IllegalStateException("write: " + w.statusCode() + " " + w.body());
            }
            round++;
            next += TimeUnit.MILLISECONDS.toNanos(100);
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(Duration.ofNanos(sleep));
            }
        }
        long cpu = cpuTicks(pid) - cpuStart;
        List<Long> sorted = new ArrayList<>(delays);
        sorted.sort(null);
        if (sorted.isEmpty()) {
            // no delay is not a delay of 0: the pattern no longer matches what the stream sends
            throw new IllegalStateException(events.get() + " events and none carried a round: does " + U64 + " match them?");
        }
        long p99 = sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1));
        long p50 = sorted.get(sorted.size() / 2);
        double cpuPerSecond = cpu / 100.0 / seconds; // USER_HZ is 100 on Linux
        System.out.printf("%.4f %.1f %d %.1f%n", cpuPerSecond, p99 / 1e6, events.get(), p50 / 1e6);
        HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sessions/" + session)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    static void subscribe(String url, CountDownLatch snapshots, ConcurrentLinkedQueue<Long> delays, AtomicLong events) {
        try {
            HttpResponse<java.io.InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                String event = null;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:") && "snapshot".equals(event)) {
                        snapshots.countDown();
                    } else if (line.startsWith("data:") && "changes".equals(event)) {
                        long now = System.nanoTime();
                        events.incrementAndGet();
                        // the oldest round in the event: the first and the last element (index order)
                        Matcher m = U64.matcher(line);
                        long oldest = Long.MAX_VALUE;
                        if (m.find()) {
                            oldest = Long.parseLong(m.group(1));
                            int last = line.lastIndexOf("\"u64\":[");
                            if (m.find(last)) {
                                oldest = Math.min(oldest, Long.parseLong(m.group(1)));
                            }
                        }
                        if (oldest != Long.MAX_VALUE && oldest > 0) {
                            delays.add(now - writtenAt[(int) (oldest % ROUNDS)]);
                        }
                    }
                }
            }
        } catch (Exception e) {
            // closed at exit
        }
    }

    static void idle(String base, String map, int subscribers, long pid, String jcmd) throws Exception {
        long before = heapAfterGc(base, pid, jcmd);
        CountDownLatch snapshots = new CountDownLatch(subscribers);
        for (int i = 0; i < subscribers; i++) {
            // a 64-element window: the idle cost is the subscriber's, not a 1.5 MB snapshot's transfer
            Thread.ofVirtual().start(() -> subscribe(base + "/api/v1/maps/" + map + "/values/stream?format=u64&count=64",
                    snapshots, new ConcurrentLinkedQueue<>(), new AtomicLong()));
        }
        if (!snapshots.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not every subscriber got its snapshot: " + snapshots.getCount() + " missing");
        }
        Thread.sleep(2000);
        String open = get(base + "/actuator/metrics/bpfmapd.streams.subscribers?tag=kind:values");
        long after = heapAfterGc(base, pid, jcmd);
        System.out.printf("%d %d %s%n", before, after, field(open, "value"));
    }

    static long heapAfterGc(String base, long pid, String jcmd) throws Exception {
        for (int i = 0; i < 2; i++) {
            new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        String m = get(base + "/actuator/metrics/jvm.memory.used?tag=area:heap");
        return (long) Double.parseDouble(field(m, "value"));
    }

    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String post(String url, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** The first value of a top-level-ish JSON field: enough for these answers. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}\\]]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
