package io.bpfmapd.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.Errno;
import io.bpfmapd.web.ErrnoStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The errno table of docs/api.md is the one a client reads to know what each errno means: it names
 * every errno the service can send ({@link Errno}), each once, with the status {@link ErrnoStatus} gives
 * it. A new errno, or a changed status, fails here until the table says so.
 */
class ErrnoTableTest {

    /** A row: {@code | `EPERM` | 403 | ...} or {@code | `ENOMEM`, `EMFILE` | 503 | ...}. */
    private static final Pattern ROW = Pattern.compile("^\\| ((?:`E[A-Z0-9]+`(?:, )?)+) \\| (\\d{3}) \\|");
    private static final Pattern NAME = Pattern.compile("`(E[A-Z0-9]+)`");

    @Test
    void namesEveryErrnoOnceWithItsStatus() throws IOException {
        Map<String, Integer> documented = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("docs/api.md"))) {
            Matcher row = ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            Matcher name = NAME.matcher(row.group(1));
            while (name.find()) {
                Integer before = documented.put(name.group(1), Integer.parseInt(row.group(2)));
                assertThat(before).as("%s is in two rows", name.group(1)).isNull();
            }
        }
        Map<String, Integer> sent = new TreeMap<>();
        Arrays.stream(Errno.values()).filter(e -> e != Errno.EUNKNOWN)
                .forEach(e -> sent.put(e.name(), ErrnoStatus.of(e).value()));
        assertThat(documented).isEqualTo(sent);
    }
}
