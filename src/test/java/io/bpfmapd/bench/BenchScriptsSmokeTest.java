package io.bpfmapd.bench;

import io.bpfmapd.testing.Requirement;
import io.bpfmapd.testing.TemporaryDataDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps the HTTP benchmark scripts of {@code src/bench/} from rotting: each one parses, and the wrk-driven
 * ones run for a second against this test's own server (emulated backend) and print every row of their
 * table. wrk is a Debian package that {@code .ci/run} installs: a {@link Requirement}, so in CI its
 * absence fails the test, elsewhere it skips it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TemporaryDataDir(shared = "bench-smoke")
class BenchScriptsSmokeTest {

    private static final Path BENCH = Path.of("src/bench");

    @LocalServerPort
    int port;

    @Test
    void everyScriptParses() throws Exception {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(BENCH)) {
            scripts = files.filter(p -> p.toString().endsWith(".sh")).sorted().toList();
        }
        assertThat(scripts).extracting(p -> p.getFileName().toString()).contains("run-all.sh", "http-one-element.sh",
                "whole-map.sh", "sessions.sh", "startup.sh");
        for (Path script : scripts) {
            Run run = bash(List.of("-n", script.toString()), Map.of(), null);
            assertThat(run.exit()).as("bash -n %s: %s", script, run.output()).isZero();
        }
    }

    @Test
    void httpOneElementMeasuresBothRatiosOfBothPaths(@TempDir Path out) throws Exception {
        requireTool("wrk");
        Run run = bash(List.of(BENCH.resolve("http-one-element.sh").toString(), "emulated"),
                Map.of("WRK_DURATION", "1s", "WARMUP_DURATION", "1s", "WRK_CONNECTIONS", "4", "ROUNDS", "1"), out);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(rows(out)).extracting(r -> r[0]).containsExactly(
                "HTTP trivial endpoint /actuator/info (emulated server)",
                "HTTP GET value: req/s vs trivial (emulated)",
                "HTTP GET value: p99 vs trivial (emulated)",
                "HTTP session memory read: req/s vs trivial (emulated)",
                "HTTP session memory read: p99 vs trivial (emulated)");
        assertThat(rows(out)).allSatisfy(this::hasMeasuredNumber);
    }

    @Test
    void sessionsMeasuresPairsAndFreezeLatency(@TempDir Path out) throws Exception {
        requireTool("wrk");
        Run run = bash(List.of(BENCH.resolve("sessions.sh").toString(), "emulated"),
                Map.of("WRK_DURATION", "1s", "WARMUP_DURATION", "1s", "WRK_CONNECTIONS", "4", "SESSIONS", "20", "FREEZE_WARMUP", "2",
                        "ROUNDS", "1"), out);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(rows(out)).extracting(r -> r[0]).containsExactly(
                "sessions: open+close pairs/s over HTTP (emulated)",
                "sessions: open/close requests vs trivial endpoint (emulated)",
                "freeze with 20 read-only sessions (emulated)",
                "freeze: 20 sessions vs none (emulated)");
        assertThat(rows(out)).allSatisfy(this::hasMeasuredNumber);
    }

    private void hasMeasuredNumber(String[] row) {
        assertThat(row).hasSize(4);
        assertThat(row[1]).as("value of %s", row[0]).matches("[0-9]+(\\.[0-9]+)?\\D.*");
        assertThat(Double.parseDouble(row[1].replaceAll("[^0-9.].*", ""))).as(row[0]).isPositive();
        assertThat(row[3]).isIn("met", "MISSED", "measured");
    }

    private static List<String[]> rows(Path out) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("results.tsv"))) {
            rows.add(line.split("\t"));
        }
        return rows;
    }

    private void requireTool(String tool) throws Exception {
        Requirement.require(tool, bash(List.of("-c", "command -v " + tool), Map.of(), null).exit() == 0,
                "not installed (Debian package " + tool + ", which .ci/run installs)");
    }

    private Run bash(List<String> args, Map<String, String> env, Path out) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("BPFMAPD_URL", "http://127.0.0.1:" + port);
        if (out != null) {
            pb.environment().put("BENCH_OUT", out.toString());
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + command + "\n" + output);
        }
        return new Run(p.exitValue(), output);
    }

    private record Run(int exit, String output) {
    }
}
