package io.bpfmapd.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bpfmapd.BpfmapdApplication;
import io.bpfmapd.testing.TemporaryDataDir;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

/** A start with no configuration at all: loopback, open, everyone is 'anonymous' admin, and audited as such. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TemporaryDataDir
class OpenModeEndToEndTest {

    @LocalServerPort
    int port;

    @Test
    void withoutTokensTheApiAnswersWithoutCredentialsAndAuditsAnonymous() throws Exception {
        var auditLines = new ListAppender<ILoggingEvent>();
        auditLines.start();
        Logger audit = (Logger) LoggerFactory.getLogger(AuditFilter.LOGGER);
        audit.addAppender(auditLines);
        try (HttpClient http = HttpClient.newHttpClient()) {
            var read = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/maps")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isNotIn(401, 403);

            var freeze = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/maps/1/freeze"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(freeze.statusCode()).isNotIn(401, 403);
        } finally {
            audit.detachAppender(auditLines);
        }
        assertThat(auditLines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("principal=anonymous op=map.freeze method=POST path=/api/v1/maps/1/freeze map=1 ");
    }

    @Test
    void requestsRefusedBeforeTheApiAreProblemDetailsToo() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            // %00: refused by Tomcat itself; %2e%2e: by Spring Security's firewall
            for (String path : new String[] {"/api/v1/maps/%00", "/api/v1/maps/%2e%2e/values", "/api/v1/maps;x=1"}) {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path).isEqualTo(400);
                assertThat(response.headers().firstValue("Content-Type")).as(path)
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(response.body()).as(path).contains("\"type\":\"urn:bpfmapd:problem:malformed-request\"")
                        .contains("\"errno\":\"EINVAL\"").doesNotContain("<html");
            }
        }
    }

    @Test
    void theDefaultAddressIsLoopback() throws IOException {
        try (var in = getClass().getResourceAsStream("/application.yaml")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes())).contains("address: 127.0.0.1");
        }
    }

    @Test
    void openOnAllInterfacesRefusesToStartUnlessAllowed() {
        assertThatThrownBy(() -> start("--server.address=0.0.0.0").close())
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .rootCause().hasMessageContaining("Refusing to start");

        try (ConfigurableApplicationContext context = start("--server.address=0.0.0.0", "--bpfmapd.security.allow-open=true")) {
            assertThat(context.isRunning()).isTrue();
        }
    }

    private static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(BpfmapdApplication.class)
                .run(concat(args, "--server.port=0", "--spring.main.banner-mode=off", "--bpfmapd.kernel.enabled=false"));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
