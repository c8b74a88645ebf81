package io.bpfmapd.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.limits.LimitsProperties;
import java.io.IOException;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Each {@code bpfmapd.*} default lives in one place, the {@code @DefaultValue} of its record; one record
 * binds each prefix; and the tables of {@code docs/operations.md} state exactly those defaults.
 */
class ConfigurationDefaultsTest {

    private static final Path OPERATIONS = Path.of("docs/operations.md");
    /** A table row naming a property and its default: {@code | `bpfmapd.x.y` | `default` | ... |}. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(bpfmapd\\.[a-z0-9.\\-]+)(\\[i][^`]*)?`\\s*\\|\\s*([^|]+?)\\s*\\|");
    private static final Pattern DEFAULTS_HEADER = Pattern.compile("^\\|\\s*property\\s*\\|\\s*default\\s*\\|",
            Pattern.CASE_INSENSITIVE);
    /** The one bpfmapd setting that is not a record's: read with {@code @Value} where it is used. */
    private static final String AOT_TRAINING = "bpfmapd.aot-training";

    @Test
    void onePropertiesRecordPerPrefix() {
        Map<String, List<String>> byPrefix = records().stream().collect(Collectors.groupingBy(
                ConfigurationDefaultsTest::prefix, TreeMap::new, Collectors.mapping(Class::getSimpleName, Collectors.toList())));

        assertThat(byPrefix).allSatisfy((prefix, records) -> assertThat(records).as(prefix).hasSize(1));
        assertThat(byPrefix).containsKeys("bpfmapd.api", "bpfmapd.backend", "bpfmapd.emulated", "bpfmapd.kernel",
                "bpfmapd.limits", "bpfmapd.security", "bpfmapd.sessions");
    }

    @Test
    void applicationYamlWritesNoBpfmapdDefaultASecondTime() throws IOException {
        assertThat(applicationYaml().getPropertyNames())
                .as("bpfmapd.* defaults live in the records' @DefaultValue, not in application.yaml")
                .noneMatch(name -> name.startsWith("bpfmapd."));
    }

    @Test
    void theBoundDefaultsAreTheSameWithAndWithoutApplicationYaml() throws IOException {
        Binder withYaml = new Binder(ConfigurationPropertySources.from(applicationYaml()));
        Binder empty = new Binder(new MapConfigurationPropertySource());
        for (Class<?> record : records()) {
            assertThat(withYaml.bindOrCreate(prefix(record), record)).as(record.getSimpleName())
                    .isEqualTo(empty.bindOrCreate(prefix(record), record));
        }
    }

    @Test
    void limitsDefaultsAreTheBoundOnes() {
        assertThat(LimitsProperties.defaults())
                .isEqualTo(new Binder(new MapConfigurationPropertySource()).bindOrCreate("bpfmapd.limits", LimitsProperties.class));
    }

    /** The operator's table names every property, and each default it states is the one a bare start binds. */
    @Test
    void operationsDocStatesEveryDefaultAsBound() throws Exception {
        Map<String, List<String>> documented = documentedDefaults();
        Map<String, Object> bound = boundDefaults();

        assertThat(new TreeSet<>(documented.keySet())).as("properties in docs/operations.md")
                .isEqualTo(new TreeSet<>(bound.keySet()));
        for (var entry : documented.entrySet()) {
            String property = entry.getKey();
            for (String cell : entry.getValue()) {
                Object actual = bound.get(property);
                if (cell.strip().equals("none")) {
                    assertThat(actual == null || actual instanceof Collection<?> c && c.isEmpty())
                            .as("%s: docs/operations.md says none, a bare start binds %s", property, actual).isTrue();
                } else {
                    assertThat(boundFromDoc(property, cell)).as("%s: docs/operations.md says %s", property, cell)
                            .isEqualTo(actual);
                }
            }
        }
    }

    /**
     * property -> every default cell the doc gives it, from each table headed {@code | property | default |}
     * (a property may appear in more than one).
     */
    private static Map<String, List<String>> documentedDefaults() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        boolean defaultsTable = false;
        for (String line : Files.readAllLines(OPERATIONS)) {
            if (!line.startsWith("|")) {
                defaultsTable = false;
                continue;
            }
            if (DEFAULTS_HEADER.matcher(line).find()) {
                defaultsTable = true;
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (defaultsTable && m.find()) {
                rows.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(3));
            }
        }
        return rows;
    }

    /** property -> its value when nothing is configured ({@code null} or empty for "none"). */
    private static Map<String, Object> boundDefaults() throws Exception {
        Map<String, Object> defaults = new HashMap<>();
        Binder empty = new Binder(new MapConfigurationPropertySource());
        for (Class<?> record : records()) {
            Object value = empty.bindOrCreate(prefix(record), record);
            for (RecordComponent component : record.getRecordComponents()) {
                defaults.put(prefix(record) + "." + propertyName(record, component), component.getAccessor().invoke(value));
            }
        }
        defaults.put(AOT_TRAINING, aotTrainingDefault());
        return defaults;
    }

    private static Object boundFromDoc(String property, String cell) throws Exception {
        String value = cell.strip();
        assertThat(value).as(property + " default cell").matches("`[^`]+`");
        value = value.substring(1, value.length() - 1);
        if (property.equals(AOT_TRAINING)) {
            return Boolean.valueOf(value);
        }
        for (Class<?> record : records()) {
            for (RecordComponent component : record.getRecordComponents()) {
                String name = propertyName(record, component);
                if (property.equals(prefix(record) + "." + name)) {
                    Object bound = new Binder(new MapConfigurationPropertySource(Map.of(property, value)))
                            .bindOrCreate(prefix(record), record);
                    return component.getAccessor().invoke(bound);
                }
            }
        }
        throw new AssertionError("no record binds " + property);
    }

    private static boolean aotTrainingDefault() {
        String expression = Arrays.stream(AotTrainingConfiguration.class.getDeclaredMethods())
                .flatMap(method -> Arrays.stream(method.getParameters()))
                .map(parameter -> parameter.getAnnotation(Value.class))
                .filter(v -> v != null && v.value().startsWith("${" + AOT_TRAINING + ":"))
                .findFirst().orElseThrow().value();
        return Boolean.parseBoolean(expression.substring(("${" + AOT_TRAINING + ":").length(), expression.length() - 1));
    }

    private static String propertyName(Class<?> record, RecordComponent component) throws NoSuchMethodException {
        Class<?>[] types = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Parameter[] parameters = record.getDeclaredConstructor(types).getParameters();
        int index = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList()
                .indexOf(component.getName());
        Name name = parameters[index].getAnnotation(Name.class);
        return name != null ? name.value() : component.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
    }

    private static Collection<Class<?>> records() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        return scanner.findCandidateComponents("io.bpfmapd").stream().<Class<?>>map(definition -> {
            try {
                return Class.forName(definition.getBeanClassName());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
        }).filter(type -> type.getPackageName().startsWith("io.bpfmapd")).toList();
    }

    private static String prefix(Class<?> record) {
        ConfigurationProperties annotation = record.getAnnotation(ConfigurationProperties.class);
        return annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
    }

    private static EnumerablePropertySource<?> applicationYaml() throws IOException {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yaml",
                new ClassPathResource("application.yaml"));
        assertThat(sources).hasSize(1);
        return (EnumerablePropertySource<?>) sources.getFirst();
    }
}
