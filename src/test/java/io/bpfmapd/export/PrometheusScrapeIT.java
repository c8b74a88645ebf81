package io.bpfmapd.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.bpfmapd.BpfmapdApplication;
import io.bpfmapd.backend.kernel.KernelBackend;
import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.testing.DirectoryTree;
import io.bpfmapd.testing.LibbpfAgent;
import io.bpfmapd.testing.Requirement;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Prometheus (Debian's 2.42, native histograms on) scrapes two bpfmapd nodes every second. Each
 * node has its own libbpf agent ({@code src/test/bpf/syscall_counter.bpf.c}, loaded and attached to
 * raw_tp/sys_enter and sys_exit by {@link LibbpfAgent}) counting the real syscalls of this JVM into a
 * counter array (MMAPABLE: read through a mapping) and their latencies into a per-CPU log2 histogram
 * (read with BPF_MAP_LOOKUP_BATCH, summed across CPUs). The nodes start first, with their views declared
 * in configuration and waiting; their pin watchers import the agents' maps when the agents pin them.
 *
 * <p>The comparison is exact and race-free: agent "a" counts from the start, "b" from halfway, and both
 * are then stopped (their {@code target_tgid} set to no process). From then on the maps do not change;
 * bpftool reads them (the truth), and Prometheus's samples are taken only once their timestamp is past
 * that moment.
 */
class PrometheusScrapeIT {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> NODES = List.of("a", "b");
    /** As in syscall_counter.bpf.c. */
    private static final int SLOTS = 16;
    private static final int BUCKETS = 40;
    private static final int NO_PROCESS = 0xffffffff;

    @TempDir
    static Path temp;
    private static Path pins;
    private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private static final Map<String, LibbpfAgent> agents = new LinkedHashMap<>();
    private static Process prometheus;
    private static int prometheusPort;
    /** What the agents counted, read with bpftool once they stopped: per node, per slot / per bucket. */
    private static final Map<String, long[]> syscalls = new LinkedHashMap<>();
    private static final Map<String, long[]> latency = new LinkedHashMap<>();
    /** When the maps stopped changing, in Prometheus's seconds. */
    private static double stoppedAt;

    @BeforeAll
    static void start() throws Exception {
        Requirement.require("prometheus", Files.isExecutable(PROMETHEUS),
                "no " + PROMETHEUS + "; apt-get install -y prometheus (.ci/run installs it)");
        try (KernelBackend kernel = new KernelBackend()) {
            Requirement.require("kernel backend", kernel.availability().available(), kernel.availability().reason());
        }
        Bpftool.require();
        LibbpfAgent.require();
        pins = Files.createDirectories(PinDir.path("prometheus_it"));
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String node : NODES) {
            Path root = Files.createDirectories(pins.resolve(node));
            // command-line arguments: they come before application.yaml (properties() would come after it)
            ConfigurableApplicationContext context = new SpringApplicationBuilder(BpfmapdApplication.class).run(
                    Stream.of(
                    "server.port=0", "server.address=127.0.0.1",
                    "bpfmapd.emulated.data-dir=" + temp.resolve("data-" + node),
                    "bpfmapd.kernel.bpffs-root=" + root,
                    "bpfmapd.kernel.watch[0]=agent/syscalls", "bpfmapd.kernel.watch[1]=agent/latency",
                    "bpfmapd.kernel.watch-interval=200ms",
                    "bpfmapd.exports.views[0].name=syscalls", "bpfmapd.exports.views[0].map=agent/syscalls",
                    "bpfmapd.exports.views[0].metric=agent_syscalls_total", "bpfmapd.exports.views[0].type=counter",
                    "bpfmapd.exports.views[0].index-label=nr_mod16",
                    "bpfmapd.exports.views[1].name=latency", "bpfmapd.exports.views[1].map=agent/latency",
                    "bpfmapd.exports.views[1].metric=agent_syscall_latency_nanoseconds",
                    "bpfmapd.exports.views[1].unit=nanoseconds",
                    "bpfmapd.exports.views[1].type=histogram", "bpfmapd.exports.views[1].index-label=",
                    "bpfmapd.exports.views[1].buckets.type=exp2",
                    "bpfmapd.exports.views[1].buckets.count=" + BUCKETS).map(a -> "--" + a).toArray(String[]::new));
            nodes.add(context);
            ports.put(node, ((WebServerApplicationContext) context).getWebServer().getPort());
        }
        prometheusPort = freePort();
        StringBuilder targets = new StringBuilder();
        ports.forEach((node, port) -> targets.append("      - targets: ['127.0.0.1:").append(port)
                .append("']\n        labels: {node: ").append(node).append("}\n"));
        Path config = Files.writeString(temp.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: bpfmapd
                    metrics_path: /actuator/prometheus
                    static_configs:
                """ + targets);
        prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + temp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--enable-feature=native-histograms")
                .redirectErrorStream(true).redirectOutput(temp.resolve("prometheus.log").toFile()).start();

        // The agents start after the nodes, as on a node where the sidecar comes up first.
        for (String node : NODES) {
            agents.put(node, LibbpfAgent.start("syscall_counter", Files.createDirectories(pins.resolve(node).resolve("agent"))));
        }
        target("a", (int) ProcessHandle.current().pid());
        work(Duration.ofSeconds(2));
        target("b", (int) ProcessHandle.current().pid());
        work(Duration.ofSeconds(2));
        for (String node : NODES) {
            target(node, NO_PROCESS);
        }
        // A program that read the old target may still be adding; raw_tp programs run to completion in
        // microseconds (non-sleepable, under RCU). After this pause nothing writes the maps.
        Thread.sleep(200);
        for (String node : NODES) {
            LibbpfAgent agent = agents.get(node);
            long[] counts = new long[SLOTS];
            for (int slot = 0; slot < SLOTS; slot++) {
                counts[slot] = u64(Bpftool.lookup(agent.pin("syscalls"), slot), 0);
            }
            long[] buckets = new long[BUCKETS];
            for (int b = 0; b < BUCKETS; b++) {
                byte[] perCpu = Bpftool.lookup(agent.pin("latency"), b);
                for (int at = 0; at < perCpu.length; at += 8) {
                    buckets[b] += u64(perCpu, at);
                }
            }
            syscalls.put(node, counts);
            latency.put(node, buckets);
        }
        stoppedAt = System.currentTimeMillis() / 1000.0;
        for (String node : NODES) {
            System.out.printf("agent %s counted %d syscalls, latencies %s%n", node, Arrays.stream(syscalls.get(node)).sum(),
                    Arrays.toString(latency.get(node)));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
        nodes.forEach(ConfigurableApplicationContext::close);
        agents.values().forEach(LibbpfAgent::close);
        if (pins != null) {
            DirectoryTree.delete(pins);
        }
    }

    @Test
    void eachNodesSeriesAreWhatItsAgentCountedAndSumAcrossNodes() {
        long[] a = syscalls.get("a");
        long[] b = syscalls.get("b");
        assertThat(Arrays.stream(b).sum()).as("agent b counted syscalls").isPositive();
        assertThat(Arrays.stream(a).sum()).as("agent a counted from earlier").isGreaterThan(Arrays.stream(b).sum());
        for (String node : NODES) {
            long[] counts = syscalls.get(node);
            for (int slot = 0; slot < SLOTS; slot++) {
                String query = "agent_syscalls_total{node=\"" + node + "\",nr_mod16=\"" + slot + "\"}";
                assertThat(query(query)).as(query).isEqualTo((double) counts[slot]);
            }
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            String query = "sum by (nr_mod16) (agent_syscalls_total{nr_mod16=\"" + slot + "\"})";
            assertThat(query(query)).as(query).isEqualTo((double) (a[slot] + b[slot]));
        }
        assertThat(query("count(bpfmapd_export_up == 1)")).isEqualTo(4.0);
    }

    /** The native histogram holds the agent's buckets; its quantile lies within one log2 bucket of the true one. */
    @Test
    void histogramQuantileOverTheNativeHistogramIsWithinOneBucket() {
        for (String node : NODES) {
            long[] buckets = latency.get(node);
            String series = "agent_syscall_latency_nanoseconds{node=\"" + node + "\"}";
            assertThat(query("histogram_count(" + series + ")")).as("histogram_count " + node)
                    .isEqualTo((double) Arrays.stream(buckets).sum());
            for (double q : new double[]{0.5, 0.9, 0.99}) {
                int truth = quantileBucket(buckets, q);
                String query = "histogram_quantile(" + q + ", " + series + ")";
                double estimate = query(query);
                // bucket b is (2^(b-1), 2^b]; one bucket either way
                assertThat(estimate).as(query + " (true bucket " + truth + ")").isGreaterThan(Math.scalb(1.0, truth - 2))
                        .isLessThanOrEqualTo(Math.scalb(1.0, truth + 1));
            }
        }
        double total = Arrays.stream(latency.get("a")).sum() + Arrays.stream(latency.get("b")).sum();
        assertThat(query("sum(histogram_count(agent_syscall_latency_nanoseconds))")).isEqualTo(total);
    }

    private static int quantileBucket(long[] buckets, double q) {
        long total = Arrays.stream(buckets).sum();
        long seen = 0;
        for (int b = 0; b < buckets.length; b++) {
            seen += buckets[b];
            if (seen >= q * total) {
                return b;
            }
        }
        return buckets.length - 1;
    }

    /** Tells a node's agent which process to count: this JVM, or none. */
    private static void target(String node, int tgid) {
        Bpftool.update(agents.get(node).pin(".data.target"), 0,
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(tgid).array());
    }

    /** Syscalls of this process of several kinds and latencies: stats, small reads, sleeps. */
    private static void work(Duration time) throws IOException, InterruptedException {
        long end = System.nanoTime() + time.toNanos();
        Path file = Files.writeString(temp.resolve("work"), "x".repeat(4096));
        while (System.nanoTime() < end) {
            for (int i = 0; i < 200; i++) {
                Files.exists(file);
            }
            Files.readAllBytes(file);
            Thread.sleep(1);
        }
    }

    private static long u64(byte[] bytes, int at) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    /**
     * The query's one value, from samples Prometheus scraped after the maps stopped changing: the query is
     * asked over the series of {@code query} whose last sample is later than {@link #stoppedAt}.
     */
    private static double query(String query) {
        double[] value = new double[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Double scraped = answer("min(timestamp(bpfmapd_export_up))");
            if (scraped == null || scraped <= stoppedAt) {
                return false;
            }
            Double v = answer(query);
            if (v == null) {
                return false;
            }
            value[0] = v;
            return true;
        });
        return value[0];
    }

    /** The value of a query with one answer, null while it has none or several. */
    private static Double answer(String query) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort
                        + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<List<Object>> values = JsonPath.read(body, "$.data.result[*].value");
        if (values.size() != 1) {
            return null;
        }
        return Double.parseDouble(values.getFirst().get(1).toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
