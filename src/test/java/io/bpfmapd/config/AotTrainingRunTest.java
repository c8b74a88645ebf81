package io.bpfmapd.config;

import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.TemporaryDataDir;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AOT training run sends its requests to its own port once ready, each answered as expected, and
 * then ends through its exit step with code 0; here that step is recorded instead of exiting the JVM.
 */
// Metrics export (the Prometheus endpoint the run scrapes) is off in tests unless asked for.
@AutoConfigureMetrics
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "bpfmapd.aot-training=true")
// The run's own requests are checked first, before the other tests add theirs to the same meters.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TemporaryDataDir
class AotTrainingRunTest {

    static final CompletableFuture<Integer> EXIT_CODE = new CompletableFuture<>();

    @TestConfiguration
    static class RecordExit {
        @Bean
        @Primary
        AotTrainingConfiguration.TrainingExit recordingExit() {
            return (context, code) -> EXIT_CODE.complete(code);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JsonMapper json;

    @Test
    @Order(1)
    void afterReadyTheRunServesItsRequestsThenExitsWithZero() throws Exception {
        assertThat(EXIT_CODE.get(30, TimeUnit.SECONDS)).isZero();

        // The server saw the probes, the scrape and the map's whole life, with the statuses expected.
        assertThat(meters.find("http.server.requests").timers()).extracting(t -> t.getId().getTag("method") + " "
                + t.getId().getTag("uri") + " " + t.getId().getTag("status")).contains(
                "GET /actuator/health/** 200",
                "GET /actuator/prometheus 200",
                "POST /api/v1/maps 201",
                "PUT /api/v1/maps/{id}/values/{index} 204",
                "POST /api/v1/maps/{id}/sessions 201",
                "GET /api/v1/sessions/{sid}/memory 200",
                "DELETE /api/v1/sessions/{sid} 204",
                "DELETE /api/v1/maps/{id} 204");
        // ... and left nothing behind.
        assertThat(ApiClient.at(port).get("/api/v1/maps").json().size()).isZero();
    }

    @Test
    void theRequestSequenceReportsEveryStepInOrder() throws Exception {
        List<String> sent = new AotTrainingRequests(base(), json).run();

        assertThat(sent).hasSize(12).allMatch(s -> s.matches("\\S+ \\S+ 2\\d\\d"));
        assertThat(sent.getFirst()).isEqualTo("GET /actuator/health/readiness 200");
        assertThat(sent.getLast()).matches("DELETE /api/v1/maps/[0-9a-f-]{36} 204");
    }

    @Test
    void aStepAnsweringAnotherStatusFailsTheRun() {
        // Behind a path prefix every request is 404: training must fail, not pass having warmed nothing.
        assertThatThrownBy(() -> new AotTrainingRequests(URI.create(base() + "/nowhere"), json).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("answered 404, expected 200");
    }

    @Test
    void withoutThePropertyTheListenerNeitherSendsNorExits() {
        // The beans exist in every run (a condition would be frozen by Spring AOT); the property decides.
        List<Integer> exits = new ArrayList<>();
        var run = new AotTrainingConfiguration.AotTrainingRun((context, code) -> exits.add(code), json, false, null);

        // No context at all: the listener must return before it looks for the server's port.
        run.onReady(new ApplicationReadyEvent(new SpringApplication(), new String[0], null, Duration.ZERO));

        assertThat(exits).isEmpty();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }
}
