package io.bpfmapd.console;

import io.bpfmapd.testing.TemporaryDataDir;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console in a real browser against the whole service in open mode (no token anywhere, as on a
 * loopback-only install): it asks for no token, lists a map made through the API (a new one through the
 * event stream), shows a value written through the API within two intervals by the value stream, in the
 * table and in the heatmap, shows the EBUSY problem of a refused freeze and the end of a deleted map's
 * stream, and never polls: with nothing changing, the page completes no API request.
 */
@TemporaryDataDir
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleBrowserTest {

    /** The live table's default interval (console/map.js DEFAULT_INTERVAL_MS). */
    static final Duration INTERVAL = Duration.ofSeconds(1);

    @LocalServerPort
    int port;

    static ConsoleBrowser browser;

    @BeforeAll
    static void startBrowser(@LocalServerPort int port) {
        browser = ConsoleBrowser.start("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void showsMapsLiveValuesAndTheProblemOfARefusedFreezeWithoutPolling() {
        ApiClient api = ApiClient.at(port);
        String id = createMap(api, "console_demo");

        browser.open("/");
        browser.await(By.cssSelector("#maps tr[data-map-id='" + id + "']"));
        assertThat(browser.present(By.id("token"))).as("open mode asks for no token").isFalse();
        assertThat(browser.driver.findElement(By.id("who")).getText()).contains("anonymous").contains("admin");

        // A map made through the API appears through the event stream, and the page then sits still.
        String other = createMap(api, "console_other");
        browser.waitFor(INTERVAL.multipliedBy(2)).until(driver -> !driver.findElements(
                By.cssSelector("#maps tr[data-map-id='" + other + "']")).isEmpty());
        browser.waitFor(INTERVAL.multipliedBy(2)).until(driver -> driver.findElements(
                By.cssSelector("#events li[data-event='map.created'][data-map-id='" + other + "'] .event-map")).stream()
                .anyMatch(label -> label.getText().equals("console_other")));
        assertNoRequestsFor(INTERVAL.multipliedBy(3));
        browser.screenshots("maps");

        browser.driver.findElement(By.linkText("console_demo")).click();
        browser.await(By.cssSelector("#values tr[data-index='15']"));
        assertThat(browser.present(By.id("freeze"))).as("an admin is offered freeze").isTrue();
        assertNoRequestsFor(INTERVAL.multipliedBy(3));

        long before = browser.completedApiRequests();
        assertThat(api.put("/api/v1/maps/" + id + "/values/3", "{\"hex\": \"2a00000000000000\"}").status()).isEqualTo(204);
        long written = System.nanoTime();
        browser.waitFor(INTERVAL.multipliedBy(2)).until(driver -> !driver.findElements(
                By.cssSelector("#values tr[data-index='3'] code[data-hex='2a00000000000000']")).isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - written)).isLessThanOrEqualTo(INTERVAL.multipliedBy(2));
        assertThat(browser.completedApiRequests()).as("the value came by the stream, not by a request").isEqualTo(before);

        ApiClient.Response session = api.post("/api/v1/maps/" + id + "/sessions", "{\"access\": \"READ_WRITE\", \"ttlSeconds\": 300}");
        assertThat(session.status()).as(session.toString()).isEqualTo(201);
        browser.waitFor(INTERVAL.multipliedBy(2)).until(driver -> !driver.findElements(
                By.cssSelector("#sessions tr[data-session-id='" + session.json("$.id") + "']")).isEmpty());
        ApiClient.Response refused = api.post("/api/v1/maps/" + id + "/freeze", null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        String detail = refused.json("$.detail");

        browser.driver.findElement(By.id("freeze")).click();
        browser.waitFor(Duration.ofSeconds(5)).until(driver -> driver.findElement(By.id("alert")).getText().contains(detail));
        assertThat(browser.driver.findElement(By.id("alert")).getText()).contains("EBUSY");
        browser.driver.findElement(By.id("values-view")).sendKeys("u64");
        browser.waitFor(Duration.ofSeconds(2)).until(driver -> driver.findElement(
                By.cssSelector("#values tr[data-index='3'] code")).getText().equals("42"));
        browser.screenshots("map");

        // The heatmap: one cell per element, read out by keyboard, and a change marked within two intervals.
        browser.driver.findElement(By.id("mode-heatmap")).click();
        browser.await(By.id("heatmap"));
        assertThat(browser.present(By.id("values"))).isTrue();
        assertThat(browser.driver.findElement(By.id("values")).isDisplayed()).as("the table is hidden").isFalse();
        assertThat(browser.driver.findElements(By.cssSelector("#heatmap [role=gridcell]"))).hasSize(16);
        browser.driver.findElement(By.cssSelector("#heatmap [role=gridcell][tabindex='0']")).click();
        browser.driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
        assertThat(browser.driver.switchTo().activeElement().getAttribute("data-index")).isEqualTo("3");
        assertThat(browser.driver.findElement(By.id("heatmap-focus")).getText()).isEqualTo("Element 3: 42");
        assertThat(api.put("/api/v1/maps/" + id + "/values/5", "{\"hex\": \"0700000000000000\"}").status()).isEqualTo(204);
        browser.waitFor(INTERVAL.multipliedBy(2)).until(driver -> !driver.findElements(
                By.cssSelector("#heatmap .heat-cell.changed[data-index='5'][aria-label='Element 5: 7']")).isEmpty());
        assertThat(heat(3)).as("the largest value is the hottest").isEqualTo("100%");
        assertThat(heat(0)).isEqualTo("0%");
        browser.screenshots("heatmap");

        // Deleting the map ends its value stream with the reason, shown on the page.
        // (The session's close first, and seen: the page reloads the map on it, and a reload that met the
        // map already deleted would be a 404 in the browser's console.)
        assertThat(api.delete("/api/v1/sessions/" + session.json("$.id")).status()).isEqualTo(204);
        browser.waitFor(INTERVAL.multipliedBy(2)).until(driver -> driver.findElements(
                By.cssSelector("#sessions tr[data-session-id]")).isEmpty());
        assertThat(api.delete("/api/v1/maps/" + id).status()).isEqualTo(204);
        browser.waitFor(Duration.ofSeconds(5)).until(driver -> driver.findElement(By.id("values-status")).getText()
                .contains("map deleted"));

        // The refused freeze is the one failed request, and nothing else is wrong in the browser's console
        // (whether the map has BTF is the map's own `typed`, not a 404 of its /btf).
        List<String> logged = browser.warningsAndErrors();
        assertThat(logged).as("the browser console").hasSize(1);
        assertThat(logged).filteredOn(entry -> entry.contains("/freeze") && entry.contains("409")).hasSize(1);
    }

    /**
     * console/sse.js against a scripted body: a CR and its LF in two chunks (not an empty line), a comment, a data field over
     * two lines, an event with no name ("message"); and when the body ends, the reconnect sends the last
     * event id as Last-Event-ID, as EventSource would.
     */
    @Test
    void theStreamParserReadsSplitLinesAndReconnectsWithTheLastEventId() {
        browser.open("/");
        browser.await(By.id("maps"));
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/console/sse.js').then(({ subscribe }) => {
                  const bodies = [[': keep-alive\\r\\nid: r-1\\r\\nevent: snapshot\\r\\ndata: {"a":\\r', '\\ndata: 1}\\r\\n\\r\\n',
                                   'event: changes\\nid: r-2\\ndata: 2\\n\\n'],
                                  ['id: r-3\\ndata: 3\\n\\n']];
                  const sent = [];
                  const events = [];
                  window.fetch = async (url, init) => {
                    sent.push(init.headers['Last-Event-ID'] ?? 'none');
                    const chunks = bodies[sent.length - 1] ?? [];
                    const encoder = new TextEncoder();
                    return new Response(new ReadableStream({ start(controller) {
                      chunks.forEach((chunk) => controller.enqueue(encoder.encode(chunk)));
                      controller.close();
                    } }), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
                  };
                  const stop = subscribe('/scripted', {
                    event(name, data, id) {
                      events.push([name, data, id].join('|'));
                      if (events.length === 3) {
                        stop();
                        done({ sent, events });
                      }
                    },
                    problem: (failure) => done({ problem: String(failure) }),
                  });
                });""");
        assertThat(result).containsEntry("sent", List.of("none", "r-2"));
        assertThat(result).containsEntry("events", List.of("snapshot|{\"a\":\n1}|r-1", "changes|2|r-2", "message|3|r-3"));
        assertThat(browser.warningsAndErrors()).as("the browser console").isEmpty();
    }

    private String heat(int index) {
        return (String) browser.driver.executeScript("return arguments[0].style.getPropertyValue('--heat')",
                browser.driver.findElement(By.cssSelector("#heatmap [data-index='" + index + "']")));
    }

    /** Waits {@code quiet} and checks that the page completed no API request meanwhile: it polls nothing. */
    private static void assertNoRequestsFor(Duration quiet) {
        long before = browser.completedApiRequests();
        try {
            Thread.sleep(quiet);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(browser.completedApiRequests()).as("API requests in %s with nothing changing", quiet).isEqualTo(before);
    }

    private static String createMap(ApiClient api, String name) {
        ApiClient.Response created = api.post("/api/v1/maps", """
                {"name": "%s", "type": "ARRAY", "keySize": 4, "valueSize": 8, "maxEntries": 16,
                 "flags": ["MMAPABLE"]}""".formatted(name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json("$.id");
    }
}
