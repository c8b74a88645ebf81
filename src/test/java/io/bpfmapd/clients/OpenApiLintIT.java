package io.bpfmapd.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.testing.TemporaryDataDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live document passes openapi-generator's own validation (what stopped generation before, issue 12
 * §1) and Redocly's {@code recommended} rules with no error; each warning that stays is listed here with
 * the reason it stays.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TemporaryDataDir
class OpenApiLintIT {

    /** Redocly rule id to why its warnings stay; a warning of any other rule fails the test. */
    static final Map<String, String> ACCEPTED_WARNINGS = Map.of();

    @LocalServerPort
    int port;

    Path document;

    @BeforeEach
    void document() {
        document = LiveDocument.fetch(port);
    }

    @Test
    void passesTheGeneratorsValidation() {
        OpenApiGenerator.require();
        String output = OpenApiGenerator.validate(document);
        assertThat(output).contains("No validation issues detected.");
    }

    @Test
    void passesRedoclysRecommendedRules() {
        NodeTools.install();
        Command.Result lint = new Command(List.of(NodeTools.bin("redocly"), "lint", document.toString(),
                "--extends", "recommended", "--format", "json"), document.getParent(), NodeTools.QUIET).exec(true);
        JsonNode report = JsonMapper.shared().readTree(lint.output());
        List<String> errors = new ArrayList<>();
        Map<String, List<String>> warnings = new TreeMap<>();
        for (JsonNode problem : report.get("problems")) {
            String rule = problem.get("ruleId").asString();
            String where = problem.get("location").get(0).get("pointer").asString() + ": "
                    + problem.get("message").asString();
            if ("error".equals(problem.get("severity").asString())) {
                errors.add(rule + " at " + where);
            } else {
                warnings.computeIfAbsent(rule, r -> new ArrayList<>()).add(where);
            }
        }
        assertThat(errors).as("Redocly errors").isEmpty();
        assertThat(warnings.keySet()).as("Redocly warnings (%s)", warnings)
                .isSubsetOf(ACCEPTED_WARNINGS.keySet());
        assertThat(lint.exit()).as(lint.errors()).isZero();
    }
}
