package io.bpfmapd.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.bpfmapd.BpfmapdApplication;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.kernel.IncrementProgram;
import io.bpfmapd.backend.kernel.KernelBackend;
import io.bpfmapd.backend.kernel.sys.Fd;
import io.bpfmapd.backend.kernel.sys.ObjCommands;
import io.bpfmapd.testing.Requirement;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 * A real Prometheus (Debian's 2.42, native histograms on) scrapes two bpfmapd nodes every second. On each
 * node an "agent" (a BPF program the test loads, hand-assembled as {@link IncrementProgram}, run with
 * BPF_PROG_TEST_RUN a known number of times: the kernel's own atomic adds, not writes of ours) counts
 * events into a counter array and latencies into a log2 histogram array, pinned under the node's pin
 * root. Each node imports them at start-up and exports them through views declared in its configuration.
 * Prometheus's answers must be what the programs counted.
 */
class PrometheusScrapeIT {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Per node: how many times each event index was counted, and each exp2 bucket. */
    private static final Map<String, long[]> EVENTS = Map.of("a", new long[]{30, 12, 0, 5}, "b", new long[]{7, 0, 40, 1});
    private static final Map<String, long[]> LATENCY = Map.of(
            "a", new long[]{0, 0, 0, 10, 0, 20, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0},
            "b", new long[]{0, 4, 0, 0, 0, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0});

    @TempDir
    static Path temp;
    private static Path pins;
    private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private static Process prometheus;
    private static int prometheusPort;

    @BeforeAll
    static void start() throws Exception {
        Requirement.require("prometheus", Files.isExecutable(PROMETHEUS),
                "no " + PROMETHEUS + "; apt-get install -y prometheus (.ci/run installs it)");
        KernelBackend kernel = new KernelBackend();
        Requirement.require("kernel backend", kernel.availability().available(), kernel.availability().reason());
        pins = Path.of("/sys/fs/bpf", "bpfmapd-prometheus-it-" + ProcessHandle.current().pid());
        Map<String, Integer> ports = new LinkedHashMap<>();
        try (kernel) {
            for (String node : List.of("a", "b")) {
                Path root = Files.createDirectories(pins.resolve(node));
                agent(kernel, root.resolve("events"), EVENTS.get(node));
                agent(kernel, root.resolve("latency"), LATENCY.get(node));
                // command-line arguments: they come before application.yaml (properties() would come after it)
                ConfigurableApplicationContext context = new SpringApplicationBuilder(BpfmapdApplication.class).run(
                        Stream.of(
                        "server.port=0", "server.address=127.0.0.1",
                        "bpfmapd.emulated.data-dir=" + temp.resolve("data-" + node),
                        "bpfmapd.kernel.bpffs-root=" + root,
                        "bpfmapd.kernel.imports[0]=events", "bpfmapd.kernel.imports[1]=latency",
                        "bpfmapd.exports.views[0].name=events", "bpfmapd.exports.views[0].map=events",
                        "bpfmapd.exports.views[0].metric=agent_events_total", "bpfmapd.exports.views[0].type=counter",
                        "bpfmapd.exports.views[0].index-label=event",
                        "bpfmapd.exports.views[1].name=latency", "bpfmapd.exports.views[1].map=latency",
                        "bpfmapd.exports.views[1].metric=agent_latency_microseconds",
                        "bpfmapd.exports.views[1].unit=microseconds",
                        "bpfmapd.exports.views[1].type=histogram", "bpfmapd.exports.views[1].index-label=",
                        "bpfmapd.exports.views[1].buckets.type=exp2", "bpfmapd.exports.views[1].buckets.count=16").map(a -> "--" + a).toArray(String[]::new));
                nodes.add(context);
                ports.put(node, ((WebServerApplicationContext) context).getWebServer().getPort());
            }
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
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
        nodes.forEach(ConfigurableApplicationContext::close);
        if (pins != null && Files.exists(pins)) {
            try (Stream<Path> paths = Files.walk(pins)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void prometheusSeesWhatTheProgramsCountedOnEachNodeAndAcrossThem() {
        for (String node : List.of("a", "b")) {
            long[] events = EVENTS.get(node);
            for (int event = 0; event < events.length; event++) {
                String query = "agent_events_total{node=\"" + node + "\",event=\"" + event + "\"}";
                assertThat(query(query)).as(query).isEqualTo(events[event]);
            }
        }
        for (int event = 0; event < 4; event++) {
            String query = "sum by (event) (agent_events_total{event=\"" + event + "\"})";
            assertThat(query(query)).as(query).isEqualTo(EVENTS.get("a")[event] + EVENTS.get("b")[event]);
        }
        assertThat(query("count(bpfmapd_export_up == 1)")).isEqualTo(4.0);
    }

    /** The native histogram's quantile lies within one log2 bucket of the true one. */
    @Test
    void histogramQuantileOverTheNativeHistogramIsWithinOneBucket() {
        for (String node : List.of("a", "b")) {
            long[] buckets = LATENCY.get(node);
            for (double q : new double[]{0.5, 0.9}) {
                int truth = quantileBucket(buckets, q);
                String query = "histogram_quantile(" + q + ", agent_latency_microseconds{node=\"" + node + "\"})";
                double estimate = query(query);
                // bucket b is (2^(b-1), 2^b]; one bucket either way
                assertThat(estimate).as(query).isGreaterThan(Math.scalb(1.0, truth - 2))
                        .isLessThanOrEqualTo(Math.scalb(1.0, truth + 1));
            }
        }
        double count = query("sum(histogram_count(agent_latency_microseconds))");
        assertThat(count).isEqualTo((double) (Arrays.stream(LATENCY.get("a")).sum() + Arrays.stream(LATENCY.get("b")).sum()));
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

    /** Creates an MMAPABLE u64 array of {@code counts.length} at {@code pin} and adds counts[i] to element i, in the kernel. */
    private static void agent(KernelBackend kernel, Path pin, long[] counts) {
        MapSpec spec = new MapSpec(pin.getFileName().toString(), MapType.ARRAY, 4, 8, counts.length,
                MapFlag.toBits(java.util.EnumSet.of(MapFlag.MMAPABLE)), false);
        try (BpfMap map = kernel.create(spec)) {
            map.pin(pin);
        }
        try (Fd fd = ObjCommands.get(pin.toString(), 0)) {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    continue;
                }
                try (Fd prog = IncrementProgram.load(fd.value(), i, 0)) {
                    for (long n = 0; n < counts[i]; n++) {
                        IncrementProgram.run(prog);
                    }
                }
            }
        }
    }

    /** The query's one value, once Prometheus has it. */
    private static double query(String query) {
        double[] value = new double[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort
                            + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            List<List<Object>> values = JsonPath.read(body, "$.data.result[*].value");
            if (values.size() != 1) {
                return false;
            }
            value[0] = Double.parseDouble(values.getFirst().get(1).toString());
            return true;
        });
        return value[0];
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
