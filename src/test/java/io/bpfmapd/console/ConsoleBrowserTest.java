package io.bpfmapd.console;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.ApiClient;
import java.time.Duration;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console in a real browser against the whole service in open mode (no token anywhere, as on a
 * loopback-only install): it asks for no token, lists a map made through the API, shows a value written
 * through the API within two intervals, and shows the EBUSY problem of a refused freeze.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "bpfmapd.emulated.data-dir=target/console-browser-data")
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
    void showsMapsLiveValuesAndTheProblemOfARefusedFreeze() {
        ApiClient api = ApiClient.at(port);
        ApiClient.Response created = api.post("/api/v1/maps", """
                {"name": "console_demo", "type": "ARRAY", "keySize": 4, "valueSize": 8, "maxEntries": 16,
                 "flags": ["MMAPABLE"]}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json("$.id");

        browser.open("/");
        browser.await(By.cssSelector("#maps tr[data-map-id='" + id + "']"));
        assertThat(browser.present(By.id("token"))).as("open mode asks for no token").isFalse();
        assertThat(browser.driver.findElement(By.id("who")).getText()).contains("anonymous").contains("admin");
        browser.screenshots("maps");

        browser.driver.findElement(By.linkText("console_demo")).click();
        browser.await(By.cssSelector("#values tr[data-index='15']"));
        assertThat(browser.present(By.id("freeze"))).as("an admin is offered freeze").isTrue();

        assertThat(api.put("/api/v1/maps/" + id + "/values/3", "{\"hex\": \"2a00000000000000\"}").status()).isEqualTo(204);
        long written = System.nanoTime();
        browser.waitFor(INTERVAL.multipliedBy(2)).until(driver -> !driver.findElements(
                By.cssSelector("#values tr[data-index='3'] code[data-hex='2a00000000000000']")).isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - written)).isLessThanOrEqualTo(INTERVAL.multipliedBy(2));

        ApiClient.Response session = api.post("/api/v1/maps/" + id + "/sessions", "{\"access\": \"READ_WRITE\", \"ttlSeconds\": 300}");
        assertThat(session.status()).as(session.toString()).isEqualTo(201);
        browser.await(By.cssSelector("#sessions tr[data-session-id='" + session.json("$.id") + "']"));
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

        // The refused freeze is the one failed request, and nothing else is wrong in the browser's console.
        assertThat(browser.warningsAndErrors()).singleElement(as(InstanceOfAssertFactories.STRING))
                .contains("/freeze").contains("409");
    }
}
