package dev.leakscope;

import tech.tablesaw.api.Table;

import java.util.Locale;

/**
 * The answer of {@link Leak#verdict}: LEAK, NO LEAK or INCONCLUSIVE, a one-line reason, and the evidence table
 * (one row per series: heap after full GC, heapUsed floor, external floor, raw heapUsed and rss as context) with
 * n, span, first/last MB, Theil–Sen slope and its 95 % interval, Mann–Kendall p, growth and the practical minimum.
 */
public final class LeakVerdict implements Displayable {

    /** The three possible answers. */
    public enum Outcome {
        LEAK("LEAK"), NO_LEAK("NO LEAK"), INCONCLUSIVE("INCONCLUSIVE");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        /** The label as printed: {@code LEAK}, {@code NO LEAK}, {@code INCONCLUSIVE}. */
        public String label() {
            return label;
        }
    }

    private final Outcome outcome;
    private final String reason;
    private final Table evidence;
    private final Trend trend;
    private final double slope;
    private final String per;
    private final double growthPct;
    private final double minutesToLimit;
    private final String series;

    LeakVerdict(Outcome outcome, String reason, Table evidence, Trend trend, double slope, String per, double growthPct,
                double minutesToLimit, String series) {
        this.outcome = outcome;
        this.reason = reason;
        this.evidence = evidence;
        this.trend = trend;
        this.slope = slope;
        this.per = per;
        this.growthPct = growthPct;
        this.minutesToLimit = minutesToLimit;
        this.series = series;
    }

    /** LEAK, NO_LEAK or INCONCLUSIVE. */
    public Outcome outcome() {
        return outcome;
    }

    /** True when the outcome is LEAK. */
    public boolean isLeak() {
        return outcome == Outcome.LEAK;
    }

    /** One line saying why, with the figures. */
    public String reason() {
        return reason;
    }

    /** The evidence table, one row per series examined. */
    public Table evidence() {
        return evidence.copy();
    }

    /** The series that decided ("heap after full GC", "heapUsed floor", …), or "" when none could. */
    public String decidingSeries() {
        return series;
    }

    /** Trend of the deciding series, or null. */
    public Trend trend() {
        return trend;
    }

    /** Theil–Sen slope of the deciding series in MB per {@link #slopeUnit()}, NaN when none decided. */
    public double slopeMB() {
        return slope;
    }

    /** "min" when the samples had times, "sample" otherwise, "" when no series decided. */
    public String slopeUnit() {
        return per;
    }

    /** Growth of the deciding series over the observation, percent of its start; NaN when none decided. */
    public double growthPct() {
        return growthPct;
    }

    /** Minutes until the heap limit at the current slope (LEAK with a known limit), else NaN. */
    public double minutesToHeapLimit() {
        return minutesToLimit;
    }

    /** {@code LEAK}, {@code NO LEAK} or {@code INCONCLUSIVE}, then {@code ": "} and the reason. */
    public String headline() {
        return outcome.label() + ": " + reason;
    }

    @Override
    public String toString() {
        return headline() + "\n" + evidence.printAll();
    }

    /** Shown by the notebook: the headline and the evidence table. */
    @Override
    public java.util.Map<String, String> mimeBundle() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put(TEXT, toString());
        m.put(HTML, "<p><b>" + Report.esc(outcome.label()) + "</b>: " + Report.esc(reason) + "</p>\n"
                + new Report.TableBlock("Evidence (MB, slopes per " + (per.isEmpty() ? "min" : per) + ")", evidence).html());
        return m;
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f %%", v);
    }
}
