package io.bpfmapd.console;

import io.bpfmapd.testing.TemporaryDataDir;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.kernel.PinDir;
import io.bpfmapd.backend.kernel.RequiresKernel;
import io.bpfmapd.testing.ApiClient;
import io.bpfmapd.testing.Bpftool;
import io.bpfmapd.testing.LibbpfAgent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A person watching an agent's map: a real libbpf agent (src/test/bpf/selftest.bpf.c) counts this JVM's
 * syscalls into a {@code .bss} global; its pinned map is imported, and the console shows it typed (the
 * map's BTF value type is the section, a DATASEC), one column per variable, the counter moving live.
 */
@RequiresKernel
@TemporaryDataDir
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleAgentBrowserTest {

    @LocalServerPort
    int port;

    @Test
    void showsAnAgentsVariablesAsTypedColumnsThatChangeLive() throws Exception {
        LibbpfAgent.require();
        Bpftool.require();
        Path dir = Files.createDirectories(PinDir.path("console_agent"));
        try (LibbpfAgent agent = LibbpfAgent.start("selftest", dir);
             ConsoleBrowser browser = ConsoleBrowser.start("http://127.0.0.1:" + port)) {
            ApiClient api = ApiClient.at(port);
            ApiClient.Response imported = api.post("/api/v1/maps/import",
                    "{\"path\": \"" + agent.pin(".bss") + "\", \"name\": \"selftest_bss\"}");
            assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
            String id = imported.json("$.id");
            Bpftool.update(agent.pin(".data.target"), 0,
                    ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) ProcessHandle.current().pid()).array());

            browser.open("/#/maps/" + id);
            browser.await(By.cssSelector("#values tr[data-index='0'] td[data-field='syscalls'] code"));
            assertThat(browser.driver.findElement(By.id("values-view")).getAttribute("value"))
                    .as("a map with a BTF value type is shown typed first").isEqualTo("typed");
            assertThat(browser.driver.findElements(By.cssSelector("#values thead th")))
                    .extracting(WebElement::getText).containsExactly("Index", "syscalls", "seen_setting");
            browser.waitFor(Duration.ofSeconds(5)).until(driver -> "7".equals(cell(browser, "seen_setting")));

            // This JVM's syscalls go on (serving the browser makes some): the counter moves within two
            // intervals of the console's default 1 s.
            long first = Long.parseLong(cell(browser, "syscalls"));
            browser.waitFor(Duration.ofSeconds(2)).until(driver -> Long.parseLong(cell(browser, "syscalls")) > first);
            browser.screenshots("agent");

            // Forgetting the map (the service's handle; the agent keeps it) ends the stream, and its mapping.
            assertThat(api.delete("/api/v1/maps/" + id).status()).isEqualTo(204);
            browser.waitFor(Duration.ofSeconds(5)).until(driver -> driver.findElement(By.id("values-status")).getText()
                    .contains("map deleted"));

            List<String> logged = browser.warningsAndErrors();
            assertThat(logged).as("the browser console").isEmpty();
        } finally {
            try (var left = Files.list(dir)) {
                if (left.findAny().isEmpty()) {
                    Files.delete(dir);
                }
            }
        }
    }

    /** Element 0's cell of a variable, read in one script: a changed row is replaced, so no element is kept. */
    private static String cell(ConsoleBrowser browser, String variable) {
        return (String) browser.driver.executeScript("return document.querySelector(arguments[0])?.textContent ?? null",
                "#values tr[data-index='0'] td[data-field='" + variable + "'] code");
    }
}
