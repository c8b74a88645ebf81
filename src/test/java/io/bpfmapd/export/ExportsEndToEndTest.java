package io.bpfmapd.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.TemporaryDataDir;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Metric views over real HTTP on the emulated backend: declared through the API, scraped on
 * /actuator/prometheus in the text format and (native histograms) in the protobuf one, refused whole
 * when they cannot apply, and failing alone when their map goes.
 */
@TemporaryDataDir
@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "bpfmapd.exports.max-series=100")
class ExportsEndToEndTest {

    static final String PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

    @LocalServerPort
    int port;
    @Autowired
    ExportRegistry registry;
    ApiClient api;

    @BeforeEach
    void clean() {
        api = ApiClient.at(port);
        for (ExportResource view : registry.list()) {
            registry.delete(view.name());
        }
    }

    @Test
    void aCounterViewExposesTheChosenBytesOfEachElementWithItsLabels() {
        String map = map(8, 16, true);
        api.put("/api/v1/maps/" + map + "/values/3", "{\"u64\":[7,42]}");
        api.put("/api/v1/maps/" + map + "/values/5", "{\"u64\":[1,18446744073709551615]}");

        var created = api.post("/api/v1/exports", """
                {"name":"pkts","map":"%s","metric":"agent_packets_total","type":"counter","format":"u64","offset":8,
                 "indexLabel":"queue","constLabels":{"node":"a"}}""".formatted(map));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/exports/pkts");

        String text = scrape();
        assertThat(text).contains("# TYPE agent_packets_total counter")
                .contains("agent_packets_total{node=\"a\",queue=\"3\"} 42.0")
                .contains("agent_packets_total{node=\"a\",queue=\"0\"} 0.0")
                .contains("agent_packets_total{node=\"a\",queue=\"5\"} 1.8446744073709552E19")
                .contains("bpfmapd_export_up{view=\"pkts\"} 1.0");
        assertThat(api.get("/api/v1/exports/pkts").<Integer>json("$.series")).isEqualTo(8);
    }

    @Test
    void aLog2HistogramIsClassicInTextAndNativeSchemaZeroInProtobuf() throws Exception {
        String map = map(8, 8, true);
        // exp2: bucket b counts values in (2^(b-1), 2^b]: 3 values of 1, 5 of 4, 2 of 64
        api.put("/api/v1/maps/" + map + "/values/0", "{\"u64\":[3]}");
        api.put("/api/v1/maps/" + map + "/values/2", "{\"u64\":[5]}");
        api.put("/api/v1/maps/" + map + "/values/6", "{\"u64\":[2]}");
        var created = api.post("/api/v1/exports", """
                {"name":"lat","map":"%s","metric":"agent_latency","type":"histogram","indexLabel":"",
                 "buckets":{"type":"exp2","count":8}}""".formatted(map));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        String text = scrape();
        assertThat(text).contains("agent_latency_bucket{le=\"1.0\"} 3")
                .contains("agent_latency_bucket{le=\"4.0\"} 8")
                .contains("agent_latency_bucket{le=\"128.0\"} 10")
                .contains("agent_latency_bucket{le=\"+Inf\"} 10")
                .contains("agent_latency_count 10");

        var proto = api.get("/actuator/prometheus", PROTOBUF);
        assertThat(proto.contentType()).startsWith("application/vnd.google.protobuf");
        Metrics.Histogram histogram = families(proto.bytes()).stream()
                .filter(f -> f.getName().equals("agent_latency")).findFirst().orElseThrow()
                .getMetric(0).getHistogram();
        assertThat(histogram.getSchema()).isZero();
        assertThat(histogram.getSampleCount()).isEqualTo(10);
        // native buckets as spans and deltas: index 0 (3), 2 (5), 6 (2)
        List<Integer> indexes = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        int index = 0;
        long count = 0;
        int delta = 0;
        for (Metrics.BucketSpan span : histogram.getPositiveSpanList()) {
            index += span.getOffset();
            for (int i = 0; i < span.getLength(); i++) {
                count += histogram.getPositiveDelta(delta++);
                if (count > 0) {
                    indexes.add(index);
                    counts.add(count);
                }
                index++;
            }
        }
        assertThat(indexes).containsExactly(0, 2, 6);
        assertThat(counts).containsExactly(3L, 5L, 2L);
    }

    @Test
    void aViewThatCannotApplyIsRefusedAndNothingChanges() {
        String map = map(8, 8, true);
        String big = map(1000, 8, true);

        var outside = api.post("/api/v1/exports", """
                {"name":"v","map":"%s","metric":"m","type":"gauge","format":"u64","offset":4}""".formatted(map));
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.<String>json("$.errno")).isEqualTo("EINVAL");
        assertThat(outside.<String>json("$.detail")).contains("outside the map's 8-byte value");

        var tooMany = api.post("/api/v1/exports", """
                {"name":"v","map":"%s","metric":"m","type":"gauge"}""".formatted(big));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.<String>json("$.type")).isEqualTo("urn:bpfmapd:problem:limit-exceeded");
        assertThat(tooMany.<String>json("$.limit")).isEqualTo("bpfmapd.exports.max-series");

        var badName = api.post("/api/v1/exports", """
                {"name":"v","map":"%s","metric":"9bad","type":"gauge"}""".formatted(map));
        assertThat(badName.status()).isEqualTo(400);

        var taken = api.post("/api/v1/exports", """
                {"name":"v","map":"%s","metric":"jvm_threads_live","type":"gauge","indexLabel":"i"}""".formatted(map));
        assertThat(taken.status()).isEqualTo(409);

        var buckets = api.post("/api/v1/exports", """
                {"name":"v","map":"%s","metric":"h","type":"histogram","buckets":{"type":"exp2","count":3}}""".formatted(map));
        assertThat(buckets.status()).isEqualTo(400);
        assertThat(buckets.<String>json("$.detail")).contains("not a whole number of 3-bucket histograms");

        var noMap = api.post("/api/v1/exports", """
                {"name":"v","map":"no-such-map","metric":"m","type":"gauge"}""");
        assertThat(noMap.status()).isEqualTo(404);

        assertThat(api.get("/api/v1/exports").<List<?>>json("$")).isEmpty();
        assertThat(api.get("/api/v1/exports/v").status()).isEqualTo(404);
    }

    @Test
    void aViewWhoseMapIsGoneFailsAloneAndSaysWhy() {
        String gone = map(4, 8, true);
        String kept = map(4, 8, true);
        assertThat(api.post("/api/v1/exports", """
                {"name":"gone","map":"%s","metric":"gone_things","type":"gauge"}""".formatted(gone)).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/exports", """
                {"name":"kept","map":"%s","metric":"kept_things","type":"gauge"}""".formatted(kept)).status()).isEqualTo(201);
        assertThat(api.delete("/api/v1/maps/" + gone).status()).isEqualTo(204);

        String text = scrape();
        assertThat(text).contains("bpfmapd_export_up{view=\"gone\"} 0.0")
                .contains("bpfmapd_export_up{view=\"kept\"} 1.0")
                .contains("bpfmapd_export_errors_total{view=\"gone\"} 1.0")
                .contains("kept_things{index=\"0\"} 0.0")
                .doesNotContain("gone_things{");
        var shown = api.get("/api/v1/exports/gone");
        assertThat(shown.<Boolean>json("$.up")).isFalse();
        assertThat(shown.<String>json("$.error")).contains(gone);

        assertThat(api.delete("/api/v1/exports/gone").status()).isEqualTo(204);
        assertThat(scrape()).doesNotContain("view=\"gone\"");
    }

    @Test
    void aGlobViewFollowsMapsPinnedAfterItWasDeclaredWithTheirPinAsALabel() {
        String first = map(2, 8, true);
        api.put("/api/v1/maps/" + first + "/values/1", "{\"u64\":[11]}");
        assertThat(api.post("/api/v1/maps/" + first + "/pin", "{\"path\":\"glob_a_counts\"}").status()).isEqualTo(200);
        assertThat(api.post("/api/v1/exports", """
                {"name":"glob","map":"glob_*_counts","metric":"glob_events_total","type":"counter"}""").status())
                .isEqualTo(201);
        assertThat(scrape()).contains("glob_events_total{index=\"1\",map=\"glob_a_counts\"} 11.0");

        String second = map(2, 8, true);
        api.put("/api/v1/maps/" + second + "/values/0", "{\"u64\":[5]}");
        assertThat(api.post("/api/v1/maps/" + second + "/pin", "{\"path\":\"glob_b_counts\"}").status()).isEqualTo(200);

        assertThat(scrape()).contains("glob_events_total{index=\"1\",map=\"glob_a_counts\"} 11.0")
                .contains("glob_events_total{index=\"0\",map=\"glob_b_counts\"} 5.0");
        assertThat(api.delete("/api/v1/maps/" + first).status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/maps/" + second).status()).isEqualTo(204);
        assertThat(scrape()).doesNotContain("glob_events_total{").contains("bpfmapd_export_up{view=\"glob\"} 1.0");
    }

    private String scrape() {
        var response = api.get("/actuator/prometheus", "text/plain");
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    private String map(int entries, int valueSize, boolean mmapable) {
        var created = api.post("/api/v1/maps", """
                {"type":"ARRAY","valueSize":%d,"maxEntries":%d,"flags":%s}"""
                .formatted(valueSize, entries, mmapable ? "[\"MMAPABLE\"]" : "[]"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json("$.id");
    }

    private static List<Metrics.MetricFamily> families(byte[] bytes) throws Exception {
        List<Metrics.MetricFamily> families = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            Metrics.MetricFamily family;
            while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                families.add(family);
            }
        }
        return families;
    }
}
