package io.bpfmapd.reliability;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /actuator/prometheus}, read as sums of samples. */
record PrometheusScrape(String text) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$",
            Pattern.MULTILINE);

    /** The sum of every sample of {@code name} whose labels contain every {@code label="value"} given. */
    double sum(String name, String... labels) {
        double total = 0;
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals(name)) {
                continue;
            }
            String found = m.group(2) == null ? "" : m.group(2);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                total += Double.parseDouble(m.group(3));
            }
        }
        return total;
    }

    /** The sum of {@code name} over samples whose {@code status} label is a 5xx. */
    double serverErrors(String name) {
        double total = 0;
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(name) && m.group(2) != null && m.group(2).matches(".*status=\"5\\d\\d\".*")) {
                total += Double.parseDouble(m.group(3));
            }
        }
        return total;
    }
}
