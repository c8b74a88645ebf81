package io.bpfmapd.bench;

/**
 * One ratio the performance issue sets a target for, between two JMH scores of the same run.
 * Scores are times per operation, so {@code slower / faster} reads "how many times faster".
 *
 * @param name    what the ratio says, as the table of docs/performance.md shows it
 * @param slower  the score expected to be larger (the numerator)
 * @param faster  the score expected to be smaller (the denominator)
 * @param target  the bound the ratio must meet
 * @param atLeast {@code true}: ratio ≥ target; {@code false}: ratio ≤ target
 */
public record Ratio(String name, Score.Key slower, Score.Key faster, double target, boolean atLeast) {

    public boolean met(double value) {
        return atLeast ? value >= target : value <= target;
    }

    public String targetText() {
        return (atLeast ? "≥ " : "≤ ") + (target == Math.rint(target) ? String.valueOf((long) target) : Score.format(target)) + "×";
    }
}
