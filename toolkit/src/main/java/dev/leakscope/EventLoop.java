package dev.leakscope;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.Locale;

/**
 * Did the event loop block? Judged with clinic doctor's thresholds: delay median ≥ 10 ms or max ≥ 100 ms,
 * ELU median ≥ 95 %, and any "event-loop-blocked" span (callbacks over 100 ms).
 * {@code monitorEventLoopDelay} measures the whole timer period, so its floor is the timer resolution: the delay
 * judged here is the delay over that period, estimated as the 10th percentile of {@code delayMinMs} (at most 20 ms)
 * when samples carry one.
 * <pre>{@code EventLoop.verdict(logs)   EventLoop.verdict(logs.eventLoop(), Metrics.open("spans.json").blockedSpans())}</pre>
 */
public final class EventLoop {

    /** clinic doctor: median delay at or above this (ms) is an event-loop issue. */
    public static final double MEDIAN_DELAY_MS = 10;
    /** clinic doctor: a maximum delay at or above this (ms) is an event-loop issue. */
    public static final double MAX_DELAY_MS = 100;
    /** clinic doctor: median ELU at or above this is a saturation issue. */
    public static final double MEDIAN_ELU = 0.95;

    private EventLoop() {
    }

    /** The outcome and its evidence. */
    public static final class Verdict implements Displayable {
        /** BLOCKED, OK or INCONCLUSIVE (no event-loop data). */
        public enum Outcome { BLOCKED, OK, INCONCLUSIVE }

        private final Outcome outcome;
        private final String reason;
        private final Table evidence;

        Verdict(Outcome outcome, String reason, Table evidence) {
            this.outcome = outcome;
            this.reason = reason;
            this.evidence = evidence;
        }

        /** BLOCKED, OK or INCONCLUSIVE. */
        public Outcome outcome() {
            return outcome;
        }

        /** One line saying why, with the figures. */
        public String reason() {
            return reason;
        }

        /** The evidence table: measure, value, threshold, exceeded (yes, no, or empty when there is no threshold). */
        public Table evidence() {
            return evidence.copy();
        }

        /** {@code EVENT LOOP BLOCKED}, {@code EVENT LOOP OK} or {@code EVENT LOOP INCONCLUSIVE}, then {@code ": "} and the reason. */
        public String headline() {
            return (outcome == Outcome.BLOCKED ? "EVENT LOOP BLOCKED" : outcome == Outcome.OK ? "EVENT LOOP OK" : "EVENT LOOP INCONCLUSIVE")
                    + ": " + reason;
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
            m.put(HTML, "<p>" + Report.esc(headline()) + "</p>\n" + new Report.TableBlock("Evidence", evidence).html());
            return m;
        }
    }

    /** Verdict from the logs' event-loop lines. */
    public static Verdict verdict(Logs logs) {
        return verdict(logs.eventLoop(), null);
    }

    /** Verdict from event-loop samples (elu, delay…Ms columns; any may be absent) and blocked spans (durationMs); either may be null. */
    public static Verdict verdict(Table samples, Table spans) {
        StringColumn measure = StringColumn.create("measure");
        DoubleColumn value = DoubleColumn.create("value");
        DoubleColumn threshold = DoubleColumn.create("threshold");
        StringColumn exceeded = StringColumn.create("exceeded");
        StringBuilder why = new StringBuilder();
        boolean any = false;
        boolean blocked = false;
        double floor = 0;
        double[] mins = values(samples, "delayMinMs");
        if (mins.length > 0) {
            // the timer's period: a low percentile of the per-interval minima (an overloaded loop is late even at its
            // best), never more than 20 ms (monitorEventLoopDelay's resolution is 10 ms by default)
            floor = Math.min(MAX_RESOLUTION_MS, percentile(mins, 10));
            measure.append("timer period (10th percentile of delayMinMs, ≤ 20 ms), subtracted");
            value.append(floor);
            threshold.append(Double.NaN);
            exceeded.append("");
        }
        double[] p50 = values(samples, "delayP50Ms");
        if (p50.length == 0) {
            p50 = values(samples, "delayMeanMs");
        }
        if (p50.length > 0) {
            any = true;
            double med = Math.max(0, median(p50) - floor);
            boolean x = med >= MEDIAN_DELAY_MS;
            add(measure, value, threshold, exceeded, "median delay over the resolution (ms)", med, MEDIAN_DELAY_MS, x);
            if (x) {
                blocked = true;
                why.append(String.format(Locale.ROOT, "median delay %.1f ms ≥ %.0f ms; ", med, MEDIAN_DELAY_MS));
            }
        }
        double[] max = values(samples, "delayMaxMs");
        if (max.length > 0) {
            any = true;
            double m = Arrays.stream(max).max().getAsDouble() - floor;
            final double fl = floor;
            long over = Arrays.stream(max).filter(v -> v - fl >= MAX_DELAY_MS).count();
            boolean x = m >= MAX_DELAY_MS;
            add(measure, value, threshold, exceeded, "max delay over the resolution (ms)", m, MAX_DELAY_MS, x);
            add(measure, value, threshold, exceeded, "samples with a delay ≥ 100 ms", over, Double.NaN, false);
            if (x) {
                blocked = true;
                why.append(String.format(Locale.ROOT, "max delay %.0f ms ≥ %.0f ms in %d of %d intervals; ", m, MAX_DELAY_MS, over, max.length));
            }
        }
        double[] elu = values(samples, "elu");
        if (elu.length > 0) {
            any = true;
            double med = median(elu);
            boolean x = med >= MEDIAN_ELU;
            add(measure, value, threshold, exceeded, "median ELU", med, MEDIAN_ELU, x);
            add(measure, value, threshold, exceeded, "max ELU", Arrays.stream(elu).max().getAsDouble(), Double.NaN, false);
            if (x) {
                blocked = true;
                why.append(String.format(Locale.ROOT, "median ELU %.0f %% ≥ 95 %%; ", med * 100));
            }
        }
        double[] spanMs = values(spans, "durationMs");
        if (spans != null) {
            any = true;
            add(measure, value, threshold, exceeded, "event-loop-blocked spans", spanMs.length, 0, spanMs.length > 0);
            if (spanMs.length > 0) {
                double longest = Arrays.stream(spanMs).max().getAsDouble();
                double total = Arrays.stream(spanMs).sum();
                add(measure, value, threshold, exceeded, "longest blocked span (ms)", longest, 100, longest >= 100);
                add(measure, value, threshold, exceeded, "total blocked time (ms)", total, Double.NaN, false);
                blocked = true;
                why.append(String.format(Locale.ROOT, "%d event-loop-blocked span%s, longest %.0f ms, %.0f ms in all; ",
                        spanMs.length, spanMs.length == 1 ? "" : "s", longest, total));
            }
        }
        value.setPrintFormatter(new tech.tablesaw.columns.numbers.NumberColumnFormatter(new java.text.DecimalFormat("0.###"), ""));
        threshold.setPrintFormatter(new tech.tablesaw.columns.numbers.NumberColumnFormatter(new java.text.DecimalFormat("0.###"), ""));
        Table ev = Table.create("eventLoopEvidence", measure, value, threshold, exceeded);
        if (!any) {
            return new Verdict(Verdict.Outcome.INCONCLUSIVE, "no event-loop samples (ELU, delay) and no blocked spans", ev);
        }
        if (blocked) {
            String r = why.toString();
            return new Verdict(Verdict.Outcome.BLOCKED, r.substring(0, r.length() - 2), ev);
        }
        StringBuilder ok = new StringBuilder("within clinic doctor's thresholds");
        if (p50.length > 0) {
            ok.append(String.format(Locale.ROOT, ": median delay %.1f ms", Math.max(0, median(p50) - floor)));
        }
        if (max.length > 0) {
            ok.append(String.format(Locale.ROOT, ", max %.0f ms", Arrays.stream(max).max().getAsDouble() - floor));
        }
        if (elu.length > 0) {
            ok.append(String.format(Locale.ROOT, ", median ELU %.0f %%", median(elu) * 100));
        }
        if (spans != null) {
            ok.append(", no blocked spans");
        }
        return new Verdict(Verdict.Outcome.OK, ok.toString(), ev);
    }

    private static void add(StringColumn m, DoubleColumn v, DoubleColumn t, StringColumn x, String name, double value,
                            double threshold, boolean exceeded) {
        m.append(name);
        v.append(value);
        t.append(threshold);
        x.append(Double.isNaN(threshold) ? "" : exceeded ? "yes" : "no");
    }

    private static double[] values(Table t, String col) {
        if (t == null || !t.columnNames().contains(col)) {
            return new double[0];
        }
        NumericColumn<?> c = t.numberColumn(col);
        return java.util.stream.IntStream.range(0, t.rowCount()).filter(i -> !c.isMissing(i))
                .mapToDouble(c::getDouble).filter(v -> !Double.isNaN(v)).toArray();
    }

    /** The largest timer period taken as resolution rather than lateness. */
    static final double MAX_RESOLUTION_MS = 20;

    private static double percentile(double[] v, double pct) {
        double[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.floor(pct / 100 * (s.length - 1));
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
