package io.bpfmapd.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The usage examples of docs/clients.md, taken from the page as written: only the service's address,
 * {@value #DOCUMENTED_URL}, is replaced by the one of the service under test.
 */
final class DocsExamples {

    static final Path PAGE = Path.of("docs", "clients.md");
    static final String DOCUMENTED_URL = "http://localhost:8080";

    private DocsExamples() {
    }

    /** The one fenced block of {@code language} ({@code java}, {@code typescript}) on the page. */
    static String example(String language, String baseUrl) {
        try {
            String page = Files.readString(PAGE);
            Matcher block = Pattern.compile("(?s)```" + language + "\\n(.*?)```").matcher(page);
            assertThat(block.find()).as("a ```" + language + " block in " + PAGE).isTrue();
            String code = block.group(1);
            assertThat(block.find()).as("one ```" + language + " block in " + PAGE).isFalse();
            assertThat(code).as("the example calls the documented address").contains(DOCUMENTED_URL);
            return code.replace(DOCUMENTED_URL, baseUrl);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's text, for the generator options it tells the user to give. */
    static String page() {
        try {
            return Files.readString(PAGE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
