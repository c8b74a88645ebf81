package io.bpfmapd.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.DirectoryTree;
import io.bpfmapd.testing.TemporaryDataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The README's walk-through, run as written: every command of its {@code sh} block goes through bash and
 * curl against a fresh service (emulated backend on a temporary directory, open mode, loopback), and
 * what each prints must be the output the README shows. Ids, timestamps and {@code kernelId} are matched
 * by their shape, and {@code …} (the README's trim) stands for anything; everything else must be equal,
 * so a response that changes without the README fails here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TemporaryDataDir
class ReadmeWalkthroughTest {

    private static final Path README = Path.of("README.md");
    private static final String MARKER = "<!-- section: walkthrough -->";
    private static final String STEP_END = "@@@ step end @@@";
    private static final Path WORK_DIR = temporaryDirectory("bpfmapd-readme-shell");

    /** What may differ between the README's run and this one, and what stands for it. */
    private static final Pattern VARIABLE = Pattern.compile(
            "(?<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{8}-…)"
            + "|(?<time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z)"
            + "|(?<kernelId>\"kernelId\":\\d+)"
            + "|(?<trim>…)");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("bpfmapd.kernel.enabled", () -> "false");
    }

    @AfterAll
    static void removeDirectories() throws IOException {
        DirectoryTree.delete(WORK_DIR);
    }

    @Test
    void everyCommandPrintsWhatTheReadmeShows() throws Exception {
        List<Step> steps = steps(Files.readString(README));
        assertThat(steps).as("commands in the README walk-through").hasSizeGreaterThan(10);
        assertThat(steps).as("outputs shown in the README walk-through")
                .filteredOn(step -> !step.expected().isEmpty()).hasSizeGreaterThan(10);

        List<String> printed = run(steps);

        assertThat(printed).hasSize(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            assertThat(printed.get(i)).as("what %n%s%nprints (the README shows%n%s%n)", step.command(), step.expected())
                    .matches(pattern(step.expected()));
        }
    }

    @Test
    void theComparisonFailsOnAChangedOutput() {
        String shown = "{\"id\":\"f4e3401a-10c0-4bdb-9161-fedff73d43b5\",\"frozen\":false,…,\"kernelId\":1}";
        assertThat("{\"id\":\"0d5e0f5a-77a1-4b4e-9a43-5a0d0b0f3c11\",\"frozen\":false,\"x\":2,\"kernelId\":7}")
                .matches(pattern(shown));
        assertThat("{\"id\":\"0d5e0f5a-77a1-4b4e-9a43-5a0d0b0f3c11\",\"frozen\":true,\"x\":2,\"kernelId\":7}")
                .doesNotMatch(pattern(shown));
    }

    /** One command of the walk-through (with its continuation lines) and the output shown under it. */
    record Step(String command, String expected) {
    }

    /** The first {@code sh} block after the walk-through marker, cut into commands and shown outputs. */
    /** The commands of the {@code sh} block after each walk-through marker, in order, as one shell session. */
    static List<Step> steps(String readme) {
        int section = readme.indexOf(MARKER);
        assertThat(section).as("README section marker " + MARKER).isNotNegative();
        List<Step> steps = new ArrayList<>();
        for (; section >= 0; section = readme.indexOf(MARKER, section + MARKER.length())) {
            int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
            steps.addAll(block(readme.substring(start, readme.indexOf("\n```", start))));
        }
        return steps;
    }

    private static List<Step> block(String block) {
        List<Step> steps = new ArrayList<>();
        StringBuilder command = null;
        List<String> output = new ArrayList<>();
        boolean continued = false;
        for (String line : block.split("\n", -1)) {
            if (continued) {
                command.append('\n').append(line);
                continued = line.endsWith("\\");
            } else if (line.isBlank() || line.startsWith("#")) {
                continue;
            } else if (line.startsWith("curl ") || line.matches("^[A-Z][A-Z0-9_]*=.*")) {
                if (command != null) {
                    steps.add(new Step(command.toString(), shown(output)));
                }
                command = new StringBuilder(line);
                output = new ArrayList<>();
                continued = line.endsWith("\\");
            } else {
                assertThat(command).as("output line before any command: " + line).isNotNull();
                output.add(line);
            }
        }
        if (command != null) {
            steps.add(new Step(command.toString(), shown(output)));
        }
        return steps;
    }

    /** The README wraps long JSON: a shown line that starts with a space continues the one before it. */
    private static String shown(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            if (line.startsWith(" ") && !text.isEmpty()) {
                text.append(line.strip());
            } else {
                text.append(text.isEmpty() ? "" : "\n").append(line);
            }
        }
        return text.toString();
    }

    static Pattern pattern(String shown) {
        StringBuilder regex = new StringBuilder();
        Matcher m = VARIABLE.matcher(shown);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(shown.substring(last, m.start())));
            if (m.group("uuid") != null) {
                regex.append("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            } else if (m.group("time") != null) {
                regex.append("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z");
            } else if (m.group("kernelId") != null) {
                regex.append("\"kernelId\":\\d+");
            } else {
                regex.append(".*?");
            }
            last = m.end();
        }
        regex.append(Pattern.quote(shown.substring(last)));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** Runs every step in one bash, in order, and returns what each printed (trailing newlines dropped). */
    private List<String> run(List<Step> steps) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder();
        for (Step step : steps) {
            script.append(step.command().replace("127.0.0.1:8080", "127.0.0.1:" + port))
                    .append("\nprintf '\\n%s\\n' '").append(STEP_END).append("'\n");
        }
        Process bash = new ProcessBuilder("bash", "-c", script.toString())
                .directory(WORK_DIR.toFile()).redirectErrorStream(true).start();
        bash.getOutputStream().close();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).as("bash finished").isTrue();
        List<String> printed = new ArrayList<>();
        for (String part : out.split("\n" + Pattern.quote(STEP_END) + "\n", -1)) {
            printed.add(part.stripTrailing());
        }
        assertThat(printed.removeLast()).as("output after the last step").isEmpty();
        return printed;
    }

    private static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
