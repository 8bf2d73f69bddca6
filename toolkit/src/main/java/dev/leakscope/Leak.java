package dev.leakscope;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Is it a leak? An honest verdict from memory samples and, when there is one, a {@code --trace-gc} trace.
 * <ul>
 *   <li>The heap <b>after full GCs</b> (Mark-Compact) is what a leak makes grow: judged first when ≥ 4 full GCs exist.</li>
 *   <li>Otherwise, or in addition, the <b>lower envelope of heapUsed</b> (the minimum of each of ~12 windows): it
 *       must rise by more than the heap swings inside a window — uncollected garbage rises and falls within
 *       that swing; a leak outgrows it.</li>
 *   <li>The floor of {@code external} catches Buffer leaks outside the V8 heap.</li>
 *   <li>Raw rss and heapUsed slopes are shown as context and never decide: a healthy service's rss grows for
 *       minutes after start.</li>
 * </ul>
 * Every series uses the Theil–Sen slope and the Mann–Kendall test (p &lt; 0.05), plus a minimum practical
 * growth (default 10 % of the starting level and 1 MiB). Too little data gives INCONCLUSIVE with the reason,
 * never an exception.
 * <pre>{@code Leak.verdict(logs)   Leak.criteria().heapLimitMB(4096).judge(logs)}</pre>
 */
public final class Leak {

    private static final double MB = 1024 * 1024;
    /** V8's largest old-generation growing factor: garbage alone can make the heap floor grow this much between full GCs. */
    static final double GC_HEADROOM = 4;

    private final double alpha;
    private final double minGrowthPercent;
    private final double minGrowthMB;
    private final long heapLimit;

    private Leak(double alpha, double minGrowthPercent, double minGrowthMB, long heapLimit) {
        this.alpha = alpha;
        this.minGrowthPercent = minGrowthPercent;
        this.minGrowthMB = minGrowthMB;
        this.heapLimit = heapLimit;
    }

    /** The default criteria: alpha 0.05, growth ≥ 10 % and ≥ 1 MiB, heap limit unknown. */
    public static Leak criteria() {
        return new Leak(0.05, 10, 1, 0);
    }

    /** Significance level of the Mann–Kendall test. */
    public Leak alpha(double a) {
        return new Leak(a, minGrowthPercent, minGrowthMB, heapLimit);
    }

    /** Minimum practical growth over the observation, in percent of the starting level. */
    public Leak minGrowthPercent(double pct) {
        return new Leak(alpha, pct, minGrowthMB, heapLimit);
    }

    /** Minimum practical growth over the observation, in MiB. */
    public Leak minGrowthMB(double mb) {
        return new Leak(alpha, minGrowthPercent, mb, heapLimit);
    }

    /** The V8 heap limit (e.g. {@code --max-old-space-size}), to estimate the time left before OOM. */
    public Leak heapLimitMB(double mb) {
        return new Leak(alpha, minGrowthPercent, minGrowthMB, Math.round(mb * MB));
    }

    /** Verdict with the default criteria. */
    public static LeakVerdict verdict(Logs logs) {
        return criteria().judge(logs.memory(), logs.gc(), logs.heapLimit());
    }

    /**
     * Verdict on a memory table (heapUsed, external, rss in bytes; times from elapsedS, else from an Instant column
     * time, else slopes are per sample) and a gc table (full, uptimeMs, heapAfter, pid), as {@link Logs#memory()} and
     * {@link Logs#gc()} give them; either may be null.
     */
    public static LeakVerdict verdict(Table memory, Table gc) {
        return criteria().judge(memory, gc, OptionalLong.empty());
    }

    /** Verdict on prom-client metrics (process_resident_memory_bytes, nodejs_heap_size_used_bytes…). */
    public static LeakVerdict verdict(Metrics metrics) {
        return criteria().judge(metrics.memory(), null, OptionalLong.empty());
    }

    /** Verdict with these criteria. */
    public LeakVerdict judge(Logs logs) {
        return judge(logs.memory(), logs.gc(), logs.heapLimit());
    }

    /** Verdict with these criteria on prom-client metrics. */
    public LeakVerdict judge(Metrics metrics) {
        return judge(metrics.memory(), null, OptionalLong.empty());
    }

    /**
     * Verdict with these criteria on a memory table and a gc table (either may be null or empty);
     * {@code limitFromLog} is the heap limit the log reported, used when {@link #heapLimitMB} was not given.
     */
    public LeakVerdict judge(Table memory, Table gc, OptionalLong limitFromLog) {
        long limit = heapLimit > 0 ? heapLimit : limitFromLog.orElse(0);
        List<Series> evidence = new ArrayList<>();

        // ---- the heap after full GCs
        Series full = fullGcSeries(gc);
        // ---- the lower envelope of heapUsed, and of external
        int samples = memory == null ? 0 : memory.rowCount();
        double[] x = memory == null ? new double[0] : xMinutes(memory);
        boolean timed = x.length > 0 && !Double.isNaN(x[0]);
        if (!timed) {
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
            }
        }
        String xUnit = timed ? "min" : "sample";
        Series env = envelope("heapUsed floor", memory, "heapUsed", x, xUnit, true);
        Series ext = envelope("external floor", memory, "external", x, xUnit, true);
        Series rawRss = raw("rss (raw)", memory, "rss", x, xUnit);
        Series rawHeap = raw("heapUsed (raw)", memory, "heapUsed", x, xUnit);
        if (full != null) {
            evidence.add(full);
        }
        if (env != null) {
            evidence.add(env);
        }
        if (ext != null) {
            evidence.add(ext);
        }
        if (rawHeap != null) {
            evidence.add(rawHeap);
        }
        if (rawRss != null) {
            evidence.add(rawRss);
        }

        LeakVerdict.Outcome outcome;
        String reason;
        Series decisive = null;
        boolean extLeak = ext != null && ext.finding == Finding.GROWS;
        if (full != null && full.n >= 4) {
            decisive = full;
            if (full.finding == Finding.GROWS) {
                outcome = LeakVerdict.Outcome.LEAK;
                reason = describe(full, "the heap after full GCs");
            } else if (extLeak) {
                decisive = ext;
                outcome = LeakVerdict.Outcome.LEAK;
                reason = describe(ext, "external memory (Buffers) outside the V8 heap");
            } else {
                outcome = LeakVerdict.Outcome.NO_LEAK;
                reason = describeFlat(full, "the heap after full GCs");
                if (env != null && env.finding == Finding.GROWS) {
                    reason += "; heapUsed's floor rises between full GCs but each full GC brings it back";
                }
            }
        } else if (full != null && full.n >= 2 && !extLeak && full.retainedMB < full.thresholdMB
                && full.span >= 0.5 * observed(x, timed, full)) {
            decisive = full;
            outcome = LeakVerdict.Outcome.NO_LEAK;
            reason = String.format(Locale.ROOT, "the %d full GCs %s min apart left %s → %s MB (%+.1f MB, under the %s MB practical "
                            + "minimum): what heapUsed gains between them is garbage, collected by the next full GC",
                    full.n, fmt(full.span), fmtMB(full.first), fmtMB(full.last), full.retainedMB, fmtMB(full.thresholdMB));
        } else if (full != null && full.n >= 2 && env != null && env.n >= 5 && monotoneRising(full.y)
                && full.retainedMB >= full.thresholdMB && env.significant && env.practicalWithoutHeadroom) {
            // few full GCs, but each left more heap: they confirm that the rising floor is retained, not garbage
            decisive = env;
            env.finding = Finding.GROWS; // its evidence row says so too (alone, under V8's headroom, it would not)
            outcome = LeakVerdict.Outcome.LEAK;
            reason = describe(env, "heapUsed's floor (per-window minima)") + String.format(Locale.ROOT,
                    "; each of the %d full GCs left more heap (%s → %s MB), so the rise is retained memory, not garbage",
                    full.n, fmtMB(full.first), fmtMB(full.last));
        } else if (env != null && env.n >= 5) {
            decisive = env;
            if (env.finding == Finding.GROWS) {
                if (full != null && full.n >= 2 && full.trend.slope() <= 0) {
                    outcome = LeakVerdict.Outcome.INCONCLUSIVE;
                    reason = "the heapUsed floor rises but the " + full.n + " full GCs do not: "
                            + fmt(full.slopePerMin()) + " MB/" + full.xUnit + "; a longer log with more full GCs would settle it";
                } else {
                    outcome = LeakVerdict.Outcome.LEAK;
                    reason = describe(env, "heapUsed's floor (per-window minima)")
                            + (full != null && full.n >= 2 ? "; the " + full.n + " full GCs agree (" + fmtMB(full.first)
                            + " → " + fmtMB(full.last) + " MB after GC)" : "");
                }
            } else if (extLeak) {
                decisive = ext;
                outcome = LeakVerdict.Outcome.LEAK;
                reason = describe(ext, "external memory (Buffers) outside the V8 heap");
            } else {
                outcome = LeakVerdict.Outcome.NO_LEAK;
                reason = describeFlat(env, "heapUsed's floor (per-window minima)");
            }
        } else {
            // short runs: combine what there is
            boolean gcRising = full != null && full.n >= 2 && monotoneRising(full.y) && full.practical;
            boolean envRising = env != null && env.n >= 3 && env.trend.slope() > 0 && env.practical;
            if (gcRising && envRising) {
                decisive = full;
                outcome = LeakVerdict.Outcome.LEAK;
                reason = "short run, combined evidence: each of the " + full.n + " full GCs left more heap ("
                        + fmtMB(full.first) + " → " + fmtMB(full.last) + " MB) and heapUsed's floor rose by "
                        + fmtMB(env.growthMB) + " MB, more than its " + fmtMB(env.thresholdMB) + " MB swing";
            } else {
                outcome = LeakVerdict.Outcome.INCONCLUSIVE;
                if (samples == 0 && (full == null || full.n == 0)) {
                    reason = "no memory samples and no full GCs to judge";
                } else {
                    reason = "too little data: " + samples + " memory sample" + (samples == 1 ? "" : "s")
                            + (full == null ? ", no --trace-gc" : ", " + full.n + " full GC" + (full.n == 1 ? "" : "s"))
                            + " (need ≥ 15 samples or ≥ 4 full GCs" + (gcRising || envRising ? "; what there is rises" : "") + ")";
                }
            }
        }
        double minutesToLimit = Double.NaN;
        if (outcome == LeakVerdict.Outcome.LEAK && limit > 0 && decisive != null && decisive.xUnit.equals("min")
                && decisive.trend.slope() > 0 && decisive != ext) {
            minutesToLimit = (limit / MB - decisive.last) / decisive.trend.slope();
            reason += String.format(Locale.ROOT, "; at this rate the %.0f MB heap limit is reached in %.0f min", limit / MB,
                    Math.max(0, minutesToLimit));
        }
        return new LeakVerdict(outcome, reason, evidenceTable(evidence), decisive == null ? null : decisive.trend,
                decisive == null ? Double.NaN : decisive.slopePerMin(), decisive == null ? "" : decisive.xUnit,
                decisive == null ? Double.NaN : decisive.growthPct, minutesToLimit, decisive == null ? "" : decisive.name);
    }

    // ------------------------------------------------------------------ series

    enum Finding { GROWS, FLAT, TOO_FEW, CONTEXT }

    private final class Series {
        final String name;
        final String role;
        final String xUnit;
        final double[] x;
        final double[] y; // MB
        final int n;
        final Trend trend;
        double first, last, span, growthMB, growthPct, thresholdMB;
        /** For floors: lowest value of the last quarter minus lowest of the first quarter (does the heap come back?). */
        double retainedMB = Double.NaN;
        /** Whether the practical minimum is V8's GC headroom (the floor must quadruple without a GC in every window). */
        boolean headroom;
        /** Practical growth judged against the swing and the minimum only (when full GCs confirm retention). */
        boolean practicalWithoutHeadroom;
        boolean significant, practical;
        Finding finding;

        Series(String name, String role, double[] x, double[] y, String xUnit, double swingMB, int minN) {
            this(name, role, x, y, xUnit, swingMB, minN, Double.NaN);
        }

        Series(String name, String role, double[] x, double[] y, String xUnit, double swingMB, int minN, double retained) {
            this.name = name;
            this.role = role;
            this.x = x;
            this.y = y;
            this.xUnit = xUnit;
            this.n = x.length;
            this.trend = Trend.of(x, y);
            if (n == 0) {
                finding = Finding.TOO_FEW;
                first = last = growthMB = growthPct = thresholdMB = Double.NaN;
                return;
            }
            first = y[0];
            last = y[n - 1];
            span = x[n - 1] - x[0];
            double start = trend.n() >= 3 ? trend.intercept() + trend.slope() * x[0] : first;
            growthMB = trend.n() >= 3 ? trend.slope() * span : last - first;
            if (!(start > 0)) {
                start = first;
            }
            growthPct = start > 0 ? 100 * growthMB / start : Double.NaN;
            thresholdMB = Math.max(Math.max(minGrowthMB, minGrowthPercent / 100 * Math.max(start, 0)),
                    Double.isNaN(swingMB) ? 0 : swingMB);
            significant = trend.rising(alpha);
            retainedMB = Double.isNaN(retained) ? (n >= 2 ? last - first : Double.NaN) : retained;
            practical = growthMB >= thresholdMB && !(retainedMB < thresholdMB);
            practicalWithoutHeadroom = practical;
            if (role.startsWith("context")) {
                finding = Finding.CONTEXT;
            } else if (n < minN) {
                finding = Finding.TOO_FEW;
            } else {
                finding = significant && practical ? Finding.GROWS : Finding.FLAT;
            }
        }

        double slopePerMin() {
            return trend.slope();
        }
    }

    private Series fullGcSeries(Table gc) {
        if (gc == null || gc.rowCount() == 0 || !gc.columnNames().contains("full")) {
            return null;
        }
        BooleanColumn full = gc.booleanColumn("full");
        NumericColumn<?> pid = gc.columnNames().contains("pid") ? gc.numberColumn("pid") : null;
        // the process with the most full GCs
        Map<Double, Integer> counts = new HashMap<>();
        for (int i = 0; i < gc.rowCount(); i++) {
            if (full.get(i)) {
                counts.merge(pid == null ? 0.0 : pid.getDouble(i), 1, Integer::sum);
            }
        }
        double best = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0.0);
        NumericColumn<?> up = gc.numberColumn("uptimeMs");
        NumericColumn<?> after = gc.numberColumn("heapAfter");
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < gc.rowCount(); i++) {
            if (full.get(i) && (pid == null || pid.getDouble(i) == best) && !after.isMissing(i)) {
                pts.add(new double[]{up.getDouble(i) / 60000.0, after.getDouble(i) / MB});
            }
        }
        double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
        return new Series("heap after full GC", "decisive", x, y, "min", Double.NaN, 4);
    }

    private static double[] xMinutes(Table memory) {
        int n = memory.rowCount();
        double[] x = new double[n];
        if (memory.columnNames().contains("elapsedS")) {
            NumericColumn<?> e = memory.numberColumn("elapsedS");
            int missing = 0;
            for (int i = 0; i < n; i++) {
                x[i] = e.isMissing(i) ? Double.NaN : e.getDouble(i) / 60.0;
                if (e.isMissing(i)) {
                    missing++;
                }
            }
            if (missing == 0) {
                return x;
            }
        }
        if (memory.columnNames().contains("time") && memory.column("time") instanceof tech.tablesaw.api.InstantColumn t
                && n > 0 && t.countMissing() == 0) {
            long t0 = t.get(0).toEpochMilli();
            for (int i = 0; i < n; i++) {
                x[i] = (t.get(i).toEpochMilli() - t0) / 60_000.0;
            }
            return x;
        }
        Arrays.fill(x, Double.NaN);
        return x;
    }

    private Series envelope(String name, Table memory, String column, double[] x, String xUnit, boolean decisive) {
        if (memory == null || !memory.columnNames().contains(column) || memory.rowCount() == 0) {
            return null;
        }
        NumericColumn<?> c = memory.numberColumn(column);
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < memory.rowCount(); i++) {
            if (!c.isMissing(i)) {
                pts.add(new double[]{x[i], c.getDouble(i) / MB});
            }
        }
        if (pts.isEmpty()) {
            return null;
        }
        int n = pts.size();
        int windows = Math.max(1, Math.min(12, n / 3));
        List<Double> wx = new ArrayList<>(), wy = new ArrayList<>();
        double[] swings = new double[windows];
        for (int w = 0; w < windows; w++) {
            int from = (int) ((long) w * n / windows), to = (int) ((long) (w + 1) * n / windows);
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, mx = 0;
            for (int i = from; i < to; i++) {
                double v = pts.get(i)[1];
                if (v < min) {
                    min = v;
                    mx = pts.get(i)[0];
                }
                max = Math.max(max, v);
            }
            wx.add(mx);
            wy.add(min);
            swings[w] = max - min;
        }
        Arrays.sort(swings);
        double swing = windows >= 3 ? swings[windows / 2] : Double.NaN;
        // Without proof of a full GC inside every window, a window's minimum may hold uncollected old-space garbage:
        // V8 lets the old generation grow to 1.1–4× its live size before the next full GC (heap-controller's
        // kMaxGrowingFactor = 4), so only a floor that more than quadruples is evidence by itself.
        boolean gcEveryWindow = false;
        if (memory.columnNames().contains("majorGcs")) {
            NumericColumn<?> g = memory.numberColumn("majorGcs");
            gcEveryWindow = true;
            for (int w = 0; w < windows && gcEveryWindow; w++) {
                int from = (int) ((long) w * n / windows), to = (int) ((long) (w + 1) * n / windows) - 1;
                gcEveryWindow = !g.isMissing(from) && !g.isMissing(to) && g.getDouble(to) > g.getDouble(from);
            }
        }
        int q = Math.max(1, n / 4);
        double firstQ = Double.POSITIVE_INFINITY, lastQ = Double.POSITIVE_INFINITY;
        for (int i = 0; i < q; i++) {
            firstQ = Math.min(firstQ, pts.get(i)[1]);
            lastQ = Math.min(lastQ, pts.get(n - 1 - i)[1]);
        }
        double headroom = gcEveryWindow ? Double.NaN : (GC_HEADROOM - 1) * firstQ;
        double floorThreshold = Double.isNaN(swing) ? headroom : Double.isNaN(headroom) ? swing : Math.max(swing, headroom);
        Series sr = new Series(name, decisive ? "decisive" : "context", wx.stream().mapToDouble(Double::doubleValue).toArray(),
                wy.stream().mapToDouble(Double::doubleValue).toArray(), xUnit, floorThreshold, 5, lastQ - firstQ);
        sr.headroom = !gcEveryWindow && (GC_HEADROOM - 1) * firstQ >= (Double.isNaN(swing) ? 0 : swing);
        double plain = Math.max(Math.max(minGrowthMB, minGrowthPercent / 100 * firstQ), Double.isNaN(swing) ? 0 : swing);
        sr.practicalWithoutHeadroom = sr.growthMB >= plain && sr.retainedMB >= plain;
        return sr;
    }

    private Series raw(String name, Table memory, String column, double[] x, String xUnit) {
        if (memory == null || !memory.columnNames().contains(column) || memory.rowCount() < 3) {
            return null;
        }
        NumericColumn<?> c = memory.numberColumn(column);
        double[] y = new double[memory.rowCount()];
        for (int i = 0; i < y.length; i++) {
            y[i] = c.isMissing(i) ? Double.NaN : c.getDouble(i) / MB;
        }
        return new Series(name, "context (never decides alone)", x.clone(), y, xUnit, Double.NaN, 3);
    }

    /** Minutes of observation: the memory samples' span when timed, else the full GCs' own span. */
    private static double observed(double[] x, boolean timed, Series full) {
        if (timed && x.length >= 2) {
            return x[x.length - 1] - x[0];
        }
        return full.span;
    }

    private static boolean monotoneRising(double[] y) {
        for (int i = 1; i < y.length; i++) {
            if (y[i] <= y[i - 1]) {
                return false;
            }
        }
        return y.length >= 2;
    }

    private String describe(Series s, String what) {
        return String.format(Locale.ROOT, "%s rose %s → %s MB over %s %s (Theil–Sen %s MB/%s, Mann–Kendall p=%s, n=%d, +%.0f %%)",
                what, fmtMB(s.first), fmtMB(s.last), fmt(s.span), s.xUnit.equals("min") ? "min" : "samples",
                fmt(s.trend.slope()), s.xUnit, fmtP(s.trend.pRising()), s.n, s.growthPct);
    }

    private String describeFlat(Series s, String what) {
        String why;
        if (!s.significant) {
            why = String.format(Locale.ROOT, "no significant rise (Mann–Kendall p=%s, Theil–Sen %s MB/%s)", fmtP(s.trend.pRising()),
                    fmt(s.trend.slope()), s.xUnit);
        } else if (s.headroom && s.growthMB > 0) {
            why = String.format(Locale.ROOT, "it rises %s MB (p=%s) and keeps %+.1f MB, but with no full GC seen in every "
                    + "window that may be garbage: V8 lets the heap grow up to 4× its live size before a full GC, so without a GC "
                    + "trace only a floor that more than quadruples (+%s MB) is evidence — a slower leak needs --trace-gc or a "
                    + "longer log to be seen", fmtMB(s.growthMB), fmtP(s.trend.pRising()), s.retainedMB, fmtMB(s.thresholdMB));
        } else if (s.name.contains("floor") && s.growthMB >= s.thresholdMB) {
            why = String.format(Locale.ROOT, "it rises (p=%s) but the heap comes back: its lowest value in the last quarter is "
                    + "only %+.1f MB above the first quarter's, less than the %s MB practical minimum (garbage collected later, "
                    + "not retention)", fmtP(s.trend.pRising()), s.retainedMB, fmtMB(s.thresholdMB));
        } else if (s.name.contains("floor")) {
            why = String.format(Locale.ROOT, "it rises %s MB (p=%s), less than the %s MB the heap swings between collections "
                    + "(garbage not yet collected, not retention)", fmtMB(s.growthMB), fmtP(s.trend.pRising()), fmtMB(s.thresholdMB));
        } else {
            why = String.format(Locale.ROOT, "it rises %s MB (p=%s), less than the practical minimum of %s MB", fmtMB(s.growthMB),
                    fmtP(s.trend.pRising()), fmtMB(s.thresholdMB));
        }
        return String.format(Locale.ROOT, "%s shows no practical growth: %s → %s MB over %s %s; %s", what, fmtMB(s.first),
                fmtMB(s.last), fmt(s.span), s.xUnit.equals("min") ? "min" : "samples", why);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        return a >= 100 ? String.format(Locale.ROOT, "%.0f", v) : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    static String fmtMB(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String fmtP(double p) {
        return p < 0.0001 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }

    private static Table evidenceTable(List<Series> list) {
        Table t = Table.create("evidence");
        var series = tech.tablesaw.api.StringColumn.create("series");
        var role = tech.tablesaw.api.StringColumn.create("role");
        var n = tech.tablesaw.api.IntColumn.create("n");
        var unit = tech.tablesaw.api.StringColumn.create("per");
        var span = tech.tablesaw.api.DoubleColumn.create("span");
        var first = tech.tablesaw.api.DoubleColumn.create("firstMB");
        var last = tech.tablesaw.api.DoubleColumn.create("lastMB");
        var slope = tech.tablesaw.api.DoubleColumn.create("slopeMB");
        var lo = tech.tablesaw.api.DoubleColumn.create("slopeLowMB");
        var hi = tech.tablesaw.api.DoubleColumn.create("slopeHighMB");
        var p = tech.tablesaw.api.DoubleColumn.create("pRise");
        var growth = tech.tablesaw.api.DoubleColumn.create("growthMB");
        var pct = tech.tablesaw.api.DoubleColumn.create("growthPct");
        var thr = tech.tablesaw.api.DoubleColumn.create("minGrowthMB");
        var ret = tech.tablesaw.api.DoubleColumn.create("retainedMB");
        var finding = tech.tablesaw.api.StringColumn.create("finding");
        for (Series s : list) {
            series.append(s.name);
            role.append(s.role);
            n.append(s.n);
            unit.append(s.xUnit);
            span.append(s.span);
            first.append(s.first);
            last.append(s.last);
            slope.append(s.trend.slope());
            lo.append(s.trend.slopeLow());
            hi.append(s.trend.slopeHigh());
            p.append(s.trend.pRising());
            growth.append(s.growthMB);
            pct.append(s.growthPct);
            thr.append(s.thresholdMB);
            ret.append(s.retainedMB);
            finding.append(switch (s.finding) {
                case GROWS -> "grows";
                case FLAT -> s.significant ? (s.growthMB >= s.thresholdMB ? "rises, then comes back" : "rises less than the minimum") : "level";
                case TOO_FEW -> "too few points";
                case CONTEXT -> s.significant ? "rises (context only)" : "level (context only)";
            });
        }
        t.addColumns(series, role, n, unit, span, first, last, slope, lo, hi, p, growth, pct, ret, thr, finding);
        for (Column<?> c : t.columns()) {
            if (c instanceof tech.tablesaw.api.DoubleColumn d) {
                d.setPrintFormatter(new tech.tablesaw.columns.numbers.NumberColumnFormatter(
                        new java.text.DecimalFormat(c.name().equals("pRise") ? "0.0000" : "0.00"), ""));
            }
        }
        return t;
    }
}
