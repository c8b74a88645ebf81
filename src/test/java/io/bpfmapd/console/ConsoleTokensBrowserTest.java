package io.bpfmapd.console;

import io.bpfmapd.testing.TemporaryDataDir;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.security.TokenHash;
import io.bpfmapd.testing.ApiClient;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console in a real browser against the service with tokens: its files load without one, it asks
 * for one, and it offers a {@code reader} no write action (and an {@code admin} all of them, so the
 * absence is the role's doing, not a broken page).
 */
@TemporaryDataDir
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bpfmapd.security.tokens[0].name=viewer",
        "bpfmapd.security.tokens[0].roles=reader",
        "bpfmapd.security.tokens[0].sha256=" + ConsoleTokensBrowserTest.READER_SHA256,
        "bpfmapd.security.tokens[1].name=root",
        "bpfmapd.security.tokens[1].roles=admin",
        "bpfmapd.security.tokens[1].sha256=" + ConsoleTokensBrowserTest.ADMIN_SHA256,
})
class ConsoleTokensBrowserTest {

    static final String READER = "console-reader-token-0001";
    static final String READER_SHA256 = "8c0415800567b025a680fb62f4adeed117df53f91abe05fe1931063964f8ebd5";
    static final String ADMIN = "console-admin-token-0002";
    static final String ADMIN_SHA256 = "5a56da8432daf0fa007acc1b9e09c003053c838d7d79f62b6c2a37ccf1019db3";

    /** The ids of every write action the map page can offer. */
    static final List<By> WRITE_ACTIONS = List.of(By.id("freeze"), By.id("write-value"), By.id("open-session"),
            By.cssSelector("button.close-session"));

    @LocalServerPort
    int port;

    static ConsoleBrowser browser;

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theTokensAreTheOnesConfigured() {
        assertThat(TokenHash.sha256Hex(READER)).isEqualTo(READER_SHA256);
        assertThat(TokenHash.sha256Hex(ADMIN)).isEqualTo(ADMIN_SHA256);
    }

    @Test
    void filesLoadWithoutATokenAndWhoAmIReadsTheRules() {
        ApiClient anyone = ApiClient.at(port);
        assertThat(anyone.get("/", "text/html").status()).isEqualTo(200);
        assertThat(anyone.get("/console/app.js", "*/*").status()).isEqualTo(200);
        assertThat(anyone.send("POST", "/console/app.js", null, null, "*/*").status()).isEqualTo(401);
        assertThat(anyone.get("/api/v1/whoami").status()).isEqualTo(401);

        ApiClient.Response reader = anyone.as(READER).get("/api/v1/whoami");
        assertThat(reader.<String>json("$.principal")).isEqualTo("viewer");
        assertThat(reader.<List<String>>json("$.roles")).containsExactly("reader");
        assertThat(reader.<List<String>>json("$.operations")).isEmpty();
        ApiClient.Response admin = anyone.as(ADMIN).get("/api/v1/whoami");
        assertThat(admin.<List<String>>json("$.roles")).containsExactly("reader", "writer", "admin");
        assertThat(admin.<List<String>>json("$.operations")).contains("map.freeze", "value.update", "session.open",
                "session.close");
    }

    @Test
    void aReaderSeesNoWriteActionsAndAnAdminSeesThemAll() {
        // Started here, not before all: the tests without a browser run where Chromium is missing.
        browser = ConsoleBrowser.start("http://127.0.0.1:" + port);
        ApiClient admin = ApiClient.at(port).as(ADMIN);
        ApiClient.Response created = admin.post("/api/v1/maps", """
                {"name": "watched", "type": "ARRAY", "valueSize": 8, "maxEntries": 8, "flags": ["MMAPABLE"]}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json("$.id");
        assertThat(admin.post("/api/v1/maps/" + id + "/sessions", "{\"access\": \"READ_WRITE\"}").status()).isEqualTo(201);

        browser.open("/");
        browser.await(By.id("token"));
        browser.screenshots("sign-in");
        signIn(READER);
        browser.await(By.cssSelector("#maps tr[data-map-id='" + id + "']"));
        browser.driver.findElement(By.linkText("watched")).click();
        browser.await(By.cssSelector("#sessions tbody tr"));
        browser.await(By.cssSelector("#values tr[data-index='7']"));
        for (By action : WRITE_ACTIONS) {
            assertThat(browser.present(action)).as("a reader is offered %s", action).isFalse();
        }
        browser.screenshots("map-reader");

        browser.driver.findElement(By.id("sign-out")).click();
        signIn(ADMIN);
        browser.await(By.id("freeze"));
        browser.await(By.cssSelector("#sessions button.close-session"));
        for (By action : WRITE_ACTIONS) {
            assertThat(browser.present(action)).as("an admin is offered %s", action).isTrue();
        }

        // Asking whether a token is needed (on loading and after signing out) is the failed request, and
        // nothing else is wrong in the browser's console.
        List<String> logged = browser.warningsAndErrors();
        assertThat(logged).as("the browser console").hasSize(2);
        assertThat(logged).filteredOn(entry -> entry.contains("/api/v1/whoami") && entry.contains("401")).hasSize(2);
    }

    private static void signIn(String token) {
        var field = browser.await(By.id("token"));
        field.clear();
        // By keyboard: the field has focus when the form appears, and Enter submits it.
        assertThat(browser.driver.switchTo().activeElement()).isEqualTo(field);
        field.sendKeys(token, Keys.ENTER);
    }
}
