package io.bpfmapd.bench;

import java.util.Locale;

/**
 * One JMH result: a benchmark method and its {@code backend} parameter, with its score.
 *
 * @param key   which benchmark, with which backend
 * @param value the primary metric's score
 * @param unit  the score's unit, e.g. {@code ns/op}
 */
public record Score(Key key, double value, String unit) {

    /** @param method the benchmark method's simple name; @param backend its {@code backend} parameter */
    public record Key(String method, String backend) {
        @Override
        public String toString() {
            return method + "[" + backend + "]";
        }
    }

    static String format(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
