package io.bpfmapd.export;

import com.fasterxml.jackson.annotation.JsonValue;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import java.util.List;
import java.util.Locale;

/**
 * How a histogram view's consecutive elements are buckets: element {@code b} of a series holds the count
 * of bucket {@code b} (not cumulative), as ebpf_exporter's histogram maps do.
 *
 * <ul>
 * <li>{@code exp2}: bucket {@code b} counts values in {@code (2^(b-1), 2^b]}, upper bound {@code 2^b}; this is
 *     exactly a native histogram of schema 0, bucket index {@code b}.</li>
 * <li>{@code exp2zero}: bucket 0 counts zeros (the native zero bucket), bucket {@code b >= 1} has upper
 *     bound {@code 2^(b-1)} (native index {@code b-1}).</li>
 * <li>{@code linear}: upper bound {@code start + b * width}.</li>
 * <li>{@code fixed}: the upper bounds listed in {@code bounds}, increasing.</li>
 * </ul>
 *
 * @param type   the layout
 * @param count  buckets per series (exp2, exp2zero, linear); for fixed, the size of {@code bounds}
 * @param start  linear: the first upper bound
 * @param width  linear: the distance between upper bounds
 * @param bounds fixed: the upper bounds
 */
public record BucketLayout(Kind type, Integer count, Double start, Double width, List<Double> bounds) {

    public enum Kind {
        EXP2, EXP2ZERO, LINEAR, FIXED;

        @JsonValue
        public String field() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Native histograms keep 160 buckets a side at schema 0; exp2 of 64 covers every u64. */
    static final int MAX_LOG2_BUCKETS = 65;

    public BucketLayout {
        bounds = bounds == null ? null : List.copyOf(bounds);
    }

    /**
     * The upper bound of each bucket, increasing.
     *
     * @throws BpfException EINVAL for a layout that is incomplete or not increasing
     */
    double[] upperBounds() {
        if (type == null) {
            throw invalid("buckets.type is required: one of exp2, exp2zero, linear, fixed");
        }
        double[] upper;
        switch (type) {
            case EXP2, EXP2ZERO -> {
                int n = requireCount(MAX_LOG2_BUCKETS);
                upper = new double[n];
                for (int b = 0; b < n; b++) {
                    upper[b] = type == Kind.EXP2 ? Math.scalb(1.0, b) : b == 0 ? 0 : Math.scalb(1.0, b - 1);
                }
            }
            case LINEAR -> {
                int n = requireCount(Integer.MAX_VALUE);
                if (start == null || width == null || !(width > 0) || !Double.isFinite(start)) {
                    throw invalid("linear buckets need a finite start and a width > 0");
                }
                upper = new double[n];
                for (int b = 0; b < n; b++) {
                    upper[b] = start + b * width;
                }
            }
            case FIXED -> {
                if (bounds == null || bounds.isEmpty()) {
                    throw invalid("fixed buckets need bounds");
                }
                if (count != null && count != bounds.size()) {
                    throw invalid("fixed buckets: count " + count + " is not the " + bounds.size() + " bounds");
                }
                upper = bounds.stream().mapToDouble(Double::doubleValue).toArray();
            }
            default -> throw new IllegalStateException(type.toString());
        }
        for (int b = 1; b < upper.length; b++) {
            if (!(upper[b] > upper[b - 1]) || !Double.isFinite(upper[b])) {
                throw invalid("bucket upper bounds must be finite and increasing; bucket " + b + " is " + upper[b]
                        + " after " + upper[b - 1]);
            }
        }
        return upper;
    }

    /** Whether the buckets are those of a native histogram of schema 0 (log2). */
    boolean log2() {
        return type == Kind.EXP2 || type == Kind.EXP2ZERO;
    }

    /** The native bucket index of bucket {@code b}, or {@link Integer#MIN_VALUE} for the zero bucket. */
    int nativeIndex(int b) {
        return switch (type) {
            case EXP2 -> b;
            case EXP2ZERO -> b == 0 ? Integer.MIN_VALUE : b - 1;
            default -> throw new IllegalStateException(type + " has no native buckets");
        };
    }

    private int requireCount(int max) {
        if (count == null || count < 1 || count > max) {
            throw invalid(type.field() + " buckets need a count in [1, " + max + "]; got " + count);
        }
        return count;
    }

    private static BpfException invalid(String detail) {
        return new BpfException(Errno.EINVAL, "export", detail);
    }
}
