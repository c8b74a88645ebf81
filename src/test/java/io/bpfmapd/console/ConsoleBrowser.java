package io.bpfmapd.console;

import io.bpfmapd.testing.Requirement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver: the console as a person's browser runs it,
 * with its console log kept for the test and screenshots saved under {@value #SCREENSHOTS}.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String SCREENSHOTS = "target/console-screenshots";

    final ChromeDriver driver;
    private final String baseUrl;

    private ConsoleBrowser(ChromeDriver driver, String baseUrl) {
        this.driver = driver;
        this.baseUrl = baseUrl;
    }

    /** Starts a browser for the service at {@code baseUrl}; fails in CI, skips elsewhere, without Chromium. */
    static ConsoleBrowser start(String baseUrl) {
        Requirement.require("chromium and chromium-driver",
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no " + CHROMIUM + " or " + CHROMEDRIVER + "; apt-get install -y chromium chromium-driver");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                // --no-sandbox: the tests may run as root, where Chromium's sandbox refuses to start.
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1200,1400", "--force-device-scale-factor=1");
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ConsoleBrowser(new ChromeDriver(service, options), baseUrl);
    }

    void open(String path) {
        driver.get(baseUrl + path);
    }

    /** Waits for the element to show; on a timeout the failure carries the browser console's log, to say why. */
    WebElement await(By locator) {
        try {
            return waitFor(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(locator));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(e.getMessage().lines().findFirst().orElse("") + "; browser console: "
                    + driver.manage().logs().get(LogType.BROWSER).getAll() + "; page: " + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    WebDriverWait waitFor(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
        return wait;
    }

    /**
     * The API requests the page has completed since it loaded (the browser's resource timing entries under
     * /api/v1/). An open stream is no entry until it ends, so a page that only streams adds none, and a
     * page that polls adds one per poll.
     */
    long completedApiRequests() {
        return (Long) driver.executeScript("""
                performance.setResourceTimingBufferSize(100000);
                return performance.getEntriesByType('resource')
                    .filter(entry => new URL(entry.name).pathname.startsWith('/api/v1/')).length;""");
    }

    boolean present(By locator) {
        return !driver.findElements(locator).isEmpty();
    }

    /** Saves the page as {@code <name>-light.png} and {@code <name>-dark.png} (prefers-color-scheme emulated). */
    void screenshots(String name) {
        driver.executeScript("window.scrollTo(0, 0)");
        for (String scheme : List.of("light", "dark")) {
            driver.executeCdpCommand("Emulation.setEmulatedMedia",
                    Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
            try {
                Path file = Path.of(SCREENSHOTS, name + "-" + scheme + ".png");
                Files.createDirectories(file.getParent());
                Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }

    /**
     * The browser console's warnings and errors since the last call. A test expects exactly the failed
     * requests it provoked there (Chromium logs each 4xx as "Failed to load resource"), which also shows
     * that the log is read at all.
     */
    List<String> warningsAndErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
