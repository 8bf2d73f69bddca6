package dev.leakscope;

import dev.leakscope.plot.Chart;
import dev.leakscope.plot.Chart.Axis;
import dev.leakscope.plot.Chart.Band;
import dev.leakscope.plot.Chart.Kind;
import dev.leakscope.plot.Chart.Note;
import dev.leakscope.plot.Chart.Scale;
import dev.leakscope.plot.Chart.Series;
import dev.leakscope.plot.Columns;
import dev.leakscope.plot.Columns.XValues;
import dev.leakscope.plot.Decimate;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Figures from the toolkit's tables, by their documented column names. Each returns a {@link Figure} that
 * renders inline in Jupyter, saves to self-contained HTML, and carries a static PNG fallback.
 * <pre>
 * Plots.memory(logs)                          // memory timeline + full GCs + post-GC floor trend + verdict
 * Plots.memory(logs.memory(), logs.gc())       // the same from tables
 * Plots.gcPauses(logs.gc())                    // every GC pause, by type
 * Plots.eventLoop(eventLoopTable, blockedSpans)// lag percentiles, ELU, blocked spans shaded
 * Plots.strings(core.strings().countBy(), 20)  // top-N strings of a core
 * Plots.heapSummary(heap.summary(), 15)        // top constructors by retained size
 * Plots.heapCompare(Heap.compare(s1, s2), 15)  // biggest growth between snapshots
 * </pre>
 */
public final class Plots {

    private static final double MIB = 1024.0 * 1024.0;
    private static final String[] MEMORY = {"rss", "heapTotal", "heapUsed", "external", "arrayBuffers"};
    private static final String[] MEMORY_COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"};
    private static final String RED = "#d62728";
    private static final Pattern FULL_GC = Pattern.compile("(?i)^\\s*(mark-compact|mark-sweep|mark-sweep-compact|full|major)");

    private static volatile int maxPoints = 20_000;

    private Plots() {
    }

    /**
     * At most {@code n} points per series (default 20,000): longer lines keep the first, last, lowest and highest
     * point of each run of samples (peaks survive), longer marker series the highest of each run; the figure says
     * so in a note. Keeps week-long logs and a million scavenges quick to draw and small in a notebook.
     */
    public static void maxPoints(int n) {
        if (n < 8) {
            throw new IllegalArgumentException("maxPoints must be at least 8, not " + n);
        }
        maxPoints = n;
    }

    /** The current {@link #maxPoints(int)} limit. */
    public static int maxPoints() {
        return maxPoints;
    }

    /** Series thinned to {@link #maxPoints()}; remembers how many points were left out for the figure's note. */
    private static final class Thin {
        long total;
        long drawn;

        Series line(String name, double[] x, double[] y, String color) {
            int[] keep = Decimate.line(y, maxPoints);
            count(y.length, keep.length);
            return Series.xy(name, Kind.LINE, Decimate.pick(x, keep), Decimate.pick(y, keep), color);
        }

        Series markers(String name, double[] x, double[] y, String color) {
            int[] keep = Decimate.peaks(y, maxPoints);
            count(y.length, keep.length);
            return Series.xy(name, Kind.MARKERS, Decimate.pick(x, keep), Decimate.pick(y, keep), color);
        }

        private void count(int n, int kept) {
            total += n;
            drawn += kept;
        }

        void note(Chart.Builder b, double fy) {
            if (drawn < total) {
                b.note(new Note(0.99, fy, String.format(Locale.ROOT, "drawn: %,d of %,d points (lowest/highest of each run kept)",
                        drawn, total), "#666666"));
            }
        }
    }

    // ------------------------------------------------------------------------------------------- memory

    /**
     * The memory timeline of {@code logs}: {@link #memory(Table, Table)} of its memory() and gc() tables, with the
     * leak verdict ({@link Leak#verdict(Logs)}: LEAK / NO LEAK / INCONCLUSIVE and why) annotated.
     */
    public static Figure memory(Logs logs) {
        return memory(logs.memory(), logs.gc()).annotate(Leak.verdict(logs).headline());
    }

    /** Event-loop delay and ELU of {@code logs}, with the blocked spans of {@code spans} (OTLP/JSON, may be null) shaded. */
    public static Figure eventLoop(Logs logs, Metrics spans) {
        return eventLoop(logs.eventLoop(), spans == null ? null : spans.blockedSpans());
    }

    /** Memory in MiB from a {@code memory()} table: those of rss, heapTotal, heapUsed, external, arrayBuffers it has,
     *  over time (else elapsedS, else the sample number). */
    public static Figure memory(Table memory) {
        return memory(memory, null);
    }

    /**
     * Memory over time, plus from a {@code gc()} table (time, type, heapAfter…): a marker at each full GC
     * (Mark-Compact) at the heap size it left — the post-GC floor — and that floor's Theil–Sen trend line
     * with its slope in MiB/min. A floor that keeps rising is the signature of a leak; raw rss and heapUsed
     * rise in healthy services too. {@code gc} may be null.
     */
    public static Figure memory(Table memory, Table gc) {
        XValues t = clock(memory, "memory plot");
        Chart.Builder b = Chart.builder().title("Memory").x(Axis.of(t.title(), t.scale())).y(Axis.of("MiB", Scale.LINEAR));
        Thin thin = new Thin();
        int found = 0;
        for (int i = 0; i < MEMORY.length; i++) {
            Column<?> c = Columns.find(memory, MEMORY[i]);
            if (c != null) {
                b.add(thin.line(MEMORY[i], t.values(), scale(Columns.numbers(c), 1 / MIB), MEMORY_COLORS[i]));
                found++;
            }
        }
        if (found == 0) {
            throw new IllegalArgumentException("memory plot: the table has none of the columns " + String.join(", ", MEMORY)
                    + " (its columns: " + String.join(", ", memory.columnNames()) + ")");
        }
        if (gc != null && gc.rowCount() > 0) {
            fullGcs(b, gc, t.scale(), t.title());
        }
        thin.note(b, 0.06);
        return Figure.of(b.build());
    }

    private static void fullGcs(Chart.Builder b, Table gc, Scale memoryScale, String memoryTitle) {
        XValues gt = clock(gc, "memory plot (gc table)");
        if (gt.scale() != memoryScale || memoryScale != Scale.TIME && !gt.title().equals(memoryTitle)) {
            b.note(new Note(0.01, 0.97, "GC times (" + gt.title() + ") are not on the memory table's clock: full GCs not drawn", null));
            return;
        }
        Column<?> fullCol = Columns.find(gc, "full");
        boolean[] full = new boolean[gc.rowCount()];
        if (fullCol instanceof BooleanColumn bc) { // the logs reader's own judgement
            for (int i = 0; i < full.length; i++) {
                full[i] = !bc.isMissing(i) && bc.get(i);
            }
        } else {
            String[] type = Columns.texts(Columns.require(gc, "memory plot (gc table)", "type", "kind", "collector", "full"));
            for (int i = 0; i < full.length; i++) {
                full[i] = FULL_GC.matcher(type[i]).find();
            }
        }
        double[] after = Columns.numbers(Columns.require(gc, "memory plot (gc table)", "heapAfter", "heapAfterBytes", "after"));
        double toMib = bytesOrMib(after);
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int i = 0; i < full.length; i++) {
            if (full[i] && Double.isFinite(after[i]) && Double.isFinite(gt.values()[i])) {
                xs.add(gt.values()[i]);
                ys.add(after[i] * toMib);
            }
        }
        if (xs.isEmpty()) {
            b.note(new Note(0.01, 0.97, "no full GC (Mark-Compact) in the gc table: no post-GC floor", null));
            return;
        }
        double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
        b.add(Series.xy("full GC (heap after)", Kind.MARKERS, x, y, RED).withSymbol("triangle-down"));
        double perMinute = memoryScale == Scale.TIME ? 60_000 : 60; // TIME is ms; relative clocks are taken as seconds
        double[] minutes = scale(x, 1 / perMinute);
        Trend tr = Trend.of(minutes, y); // Theil–Sen slope, Mann–Kendall p (needs 3 full GCs)
        String floor = String.format(Locale.ROOT, "post-GC floor: %.1f → %.1f MiB over %d full GCs", y[0], y[y.length - 1], y.length);
        if (tr.n() >= 3 && Double.isFinite(tr.slope())) {
            double lo = Arrays.stream(x).min().orElseThrow(), hi = Arrays.stream(x).max().orElseThrow();
            String slope = String.format(Locale.ROOT, "%+.2f MiB/min", tr.slope());
            b.add(Series.xy("post-GC floor trend " + slope, Kind.LINE, new double[] {lo, hi},
                    new double[] {tr.intercept() + tr.slope() * lo / perMinute, tr.intercept() + tr.slope() * hi / perMinute}, RED).withDash());
            floor += String.format(Locale.ROOT, "\nTheil–Sen %s, Mann–Kendall p(rising) = %.2g", slope, tr.pRising());
        } else {
            floor += " (too few for a trend)";
        }
        b.note(new Note(0.01, 0.97, floor, null));
    }

    /**
     * The x values of a table: its time column; when a log had no clock (plain memoryUsage blocks, trace-gc alone)
     * the seconds since its first sample ({@code elapsedS}) or since process start ({@code uptimeMs}), else the
     * sample number — never an empty plot.
     */
    private static XValues clock(Table t, String what) {
        Column<?> time = Columns.find(t, "time", "timestamp", "t");
        if (time != null) {
            XValues x = Columns.times(time);
            if (anyFinite(x.values()) || t.rowCount() == 0) {
                return x;
            }
        }
        Column<?> elapsed = Columns.find(t, "elapsedS");
        if (elapsed != null && anyFinite(Columns.numbers(elapsed))) {
            return new XValues(Columns.numbers(elapsed), Scale.LINEAR, "seconds since the first sample (the log has no clock)");
        }
        Column<?> uptime = Columns.find(t, "uptimeMs");
        if (uptime != null && anyFinite(Columns.numbers(uptime))) {
            return new XValues(scale(Columns.numbers(uptime), 1 / 1000.0), Scale.LINEAR, "seconds since process start");
        }
        if (time == null && elapsed == null && uptime == null) {
            Columns.require(t, what, "time", "timestamp", "elapsedS", "uptimeMs"); // names the columns it has
        }
        double[] idx = new double[t.rowCount()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i + 1;
        }
        return new XValues(idx, Scale.LINEAR, "sample (the log has no clock)");
    }

    private static boolean anyFinite(double[] v) {
        for (double d : v) {
            if (Double.isFinite(d)) {
                return true;
            }
        }
        return false;
    }

    /** 1/MiB for byte values, 1 for values already in MB (trace-gc prints MB: nothing real is below 100 000 bytes). */
    private static double bytesOrMib(double[] v) {
        double max = 0;
        for (double d : v) {
            if (Double.isFinite(d)) {
                max = Math.max(max, d);
            }
        }
        return max >= 100_000 ? 1 / MIB : 1;
    }

    // ------------------------------------------------------------------------------------------- GC

    /** Every GC pause from a {@code gc()} table (pauseMs, type) over time (else uptimeMs), one marker series per GC type. */
    public static Figure gcPauses(Table gc) {
        XValues t = clock(gc, "GC pause plot");
        double[] pause = Columns.numbers(Columns.require(gc, "GC pause plot", "pauseMs", "pause", "durationMs", "duration"));
        Column<?> typeCol = Columns.find(gc, "type", "kind", "collector");
        String[] type = typeCol == null ? new String[pause.length] : Columns.texts(typeCol);
        Map<String, List<Integer>> byType = new LinkedHashMap<>();
        for (int i = 0; i < pause.length; i++) {
            String k = type[i] == null || type[i].isBlank() ? "GC" : type[i].trim();
            byType.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
        }
        Chart.Builder b = Chart.builder().title("GC pauses").x(Axis.of(t.title(), t.scale())).y(Axis.of("pause (ms)", Scale.LINEAR));
        String[] palette = {"#1f77b4", RED, "#ff7f0e", "#2ca02c", "#9467bd", "#7f7f7f"};
        Thin thin = new Thin();
        int k = 0;
        double total = 0, max = -1;
        String maxType = "";
        for (var e : byType.entrySet()) {
            List<Integer> rows = e.getValue();
            double[] x = new double[rows.size()], y = new double[rows.size()];
            for (int j = 0; j < rows.size(); j++) {
                x[j] = t.values()[rows.get(j)];
                y[j] = pause[rows.get(j)];
                if (Double.isFinite(y[j])) {
                    total += y[j];
                    if (y[j] > max) {
                        max = y[j];
                        maxType = e.getKey();
                    }
                }
            }
            String color = FULL_GC.matcher(e.getKey()).find() ? RED : palette[k % palette.length];
            b.add(thin.markers(e.getKey() + " (" + rows.size() + ")", x, y, color).withSymbol(k == 0 ? "circle" : "diamond"));
            k++;
        }
        if (max >= 0) {
            b.note(new Note(0.99, 0.97, String.format(Locale.ROOT, "%d GCs, %.1f ms paused in total\nlongest %.2f ms (%s)",
                    pause.length, total, max, maxType), null));
        }
        thin.note(b, 0.75);
        return Figure.of(b.build());
    }

    // ------------------------------------------------------------------------------------------- event loop

    /** Event-loop delay and utilisation over time; see {@link #eventLoop(Table, Table)}. */
    public static Figure eventLoop(Table eventLoop) {
        return eventLoop(eventLoop, null);
    }

    /**
     * Event-loop delay (every numeric column named {@code delay…} or {@code lag…}, in ms) and, on a right axis,
     * utilisation ({@code elu} or {@code utilization}, 0..1) over time, with the spans where the loop was blocked
     * shaded ({@code blocked}: {@code start}/{@code end} columns, or {@code time} + {@code durationMs}, the span
     * ending at time). {@code blocked} may be null.
     */
    public static Figure eventLoop(Table eventLoop, Table blocked) {
        XValues t = clock(eventLoop, "event-loop plot");
        Chart.Builder b = Chart.builder().title("Event loop").x(Axis.of(t.title(), t.scale())).y(Axis.of("delay (ms)", Scale.LINEAR));
        String[] palette = {"#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#e377c2"}; // red is for blocked spans
        List<Column<?>> lags = Columns.numericStartingWith(eventLoop, "delay", "lag");
        Thin thin = new Thin();
        double maxLag = Double.NaN;
        int k = 0;
        for (Column<?> c : lags) {
            double[] v = Columns.numbers(c);
            for (double d : v) {
                maxLag = Double.isNaN(maxLag) ? d : Math.max(maxLag, d);
            }
            b.add(thin.line(c.name(), t.values(), v, palette[k++ % palette.length]));
        }
        Column<?> elu = Columns.find(eventLoop, "elu", "utilization", "eventLoopUtilization");
        if (elu != null) {
            b.y2(Axis.of("utilization (ELU)", Scale.LINEAR).range(0, 1));
            b.add(thin.line(elu.name(), t.values(), Columns.numbers(elu), "#2ca02c").onSecondaryAxis().withDash());
        }
        if (lags.isEmpty() && elu == null) {
            throw new IllegalArgumentException("event-loop plot: no delay…/lag… or elu column (its columns: "
                    + String.join(", ", eventLoop.columnNames()) + ")");
        }
        StringBuilder note = new StringBuilder();
        if (!Double.isNaN(maxLag)) {
            note.append(String.format(Locale.ROOT, "max delay %.1f ms", maxLag));
        }
        if (blocked != null && blocked.rowCount() > 0) {
            double longest = blockedBands(b, blocked, t.scale());
            note.append(note.length() > 0 ? "\n" : "").append(String.format(Locale.ROOT, "%d blocked spans, longest %.0f ms",
                    blocked.rowCount(), longest));
        }
        if (note.length() > 0) {
            b.note(new Note(0.01, 0.97, note.toString(), null));
        }
        thin.note(b, 0.97);
        return Figure.of(b.build());
    }

    private static double blockedBands(Chart.Builder b, Table blocked, Scale scale) {
        Column<?> start = Columns.find(blocked, "start", "startTime", "from", "begin");
        Column<?> end = Columns.find(blocked, "end", "endTime", "to");
        double[] x0, x1;
        if (start != null && end != null) {
            x0 = Columns.times(start).values();
            x1 = Columns.times(end).values();
        } else {
            XValues at = Columns.times(Columns.require(blocked, "event-loop plot (blocked spans)", "time", "end", "timestamp"));
            double[] ms = Columns.numbers(Columns.require(blocked, "event-loop plot (blocked spans)", "durationMs", "duration"));
            x1 = at.values();
            x0 = new double[x1.length];
            for (int i = 0; i < x1.length; i++) {
                x0[i] = x1[i] - (scale == Scale.TIME ? ms[i] : ms[i] / 1000);
            }
        }
        double longest = 0;
        for (int i = 0; i < x0.length; i++) {
            if (Double.isFinite(x0[i]) && Double.isFinite(x1[i])) {
                b.band(new Band(x0[i], x1[i], RED, "event loop blocked"));
                longest = Math.max(longest, scale == Scale.TIME ? x1[i] - x0[i] : (x1[i] - x0[i]) * 1000);
            }
        }
        return longest;
    }

    // ------------------------------------------------------------------------------------------- top-N bars

    /** The {@code top} most frequent strings from a {@code countBy()} table (text, count) or an {@code extract()} table (match, count). */
    public static Figure strings(Table countBy, int top) {
        Column<?> text = Columns.require(countBy, "strings plot", "text", "match", "string", "value");
        Column<?> count = Columns.require(countBy, "strings plot", "count", "n");
        return topBars("Most frequent strings", Columns.texts(text), Columns.numbers(count), 1, "count", "#1f77b4", top, countBy.rowCount());
    }

    /** The {@code top} constructors by retained size from a heap {@code summary()} (constructor, count, shallowSize, retainedSize). */
    public static Figure heapSummary(Table summary, int top) {
        String[] names = Columns.texts(Columns.require(summary, "heap summary plot", "constructor", "name", "className"));
        double[] retained = Columns.numbers(Columns.require(summary, "heap summary plot", "retainedSize", "retained"));
        Column<?> shallowCol = Columns.find(summary, "shallowSize", "selfSize", "shallow");
        Integer[] order = order(retained, top, false);
        Unit u = Unit.of(retained);
        String[] cats = new String[order.length];
        double[] r = new double[order.length], s = new double[order.length];
        double[] shallow = shallowCol == null ? null : Columns.numbers(shallowCol);
        for (int i = 0; i < order.length; i++) {
            cats[i] = names[order[i]];
            r[i] = retained[order[i]] / u.divisor;
            s[i] = shallow == null ? Double.NaN : shallow[order[i]] / u.divisor;
        }
        Chart.Builder b = Chart.builder().title(title("Heap: top constructors by retained size", order.length, summary.rowCount()))
                .x(Axis.of(u.name, Scale.LINEAR)).y(Axis.of("", Scale.CATEGORY)).size(900, barHeight(order.length, 2));
        b.add(Series.categorical("retained size", Kind.HBAR, cats, r, RED));
        if (shallow != null) {
            b.add(Series.categorical("shallow size", Kind.HBAR, cats, s, "#1f77b4"));
        }
        return Figure.of(b.build());
    }

    /**
     * The {@code top} constructors that changed most between two heap snapshots, from a compare table
     * (constructor + a size delta column: sizeDelta, deltaSize, retainedDelta… or else a count delta).
     * Positive bars grew.
     */
    public static Figure heapCompare(Table compare, int top) {
        String[] names = Columns.texts(Columns.require(compare, "heap compare plot", "constructor", "name", "className"));
        Column<?> size = Columns.find(compare, "sizeDelta", "deltaSize", "retainedSizeDelta", "retainedDelta", "shallowSizeDelta", "bytesDelta", "sizeDiff");
        Column<?> count = Columns.find(compare, "countDelta", "deltaCount", "delta", "countDiff");
        if (size == null && count == null) {
            throw new IllegalArgumentException("heap compare plot: no size or count delta column (its columns: "
                    + String.join(", ", compare.columnNames()) + ")");
        }
        double[] v = Columns.numbers(size != null ? size : count);
        Unit u = size != null ? Unit.of(v) : new Unit("objects", 1);
        Integer[] order = order(v, top, true);
        String[] cats = new String[order.length];
        double[] d = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            cats[i] = names[order[i]];
            d[i] = v[order[i]] / u.divisor;
        }
        String what = size != null ? size.name() : count.name();
        Chart.Builder b = Chart.builder().title(title("Heap growth between snapshots (" + what + ")", order.length, compare.rowCount()))
                .x(Axis.of(what + " (" + u.name + ")", Scale.LINEAR)).y(Axis.of("", Scale.CATEGORY)).size(900, barHeight(order.length, 1));
        b.add(Series.categorical(what, Kind.HBAR, cats, d, RED));
        return Figure.of(b.build());
    }

    // ------------------------------------------------------------------------------------------- generic

    /** Lines of the numeric columns {@code ys} of {@code t} over column {@code x} (a time or a number). */
    public static Figure line(Table t, String x, String... ys) {
        XValues xv = Columns.times(Columns.require(t, "line plot", x));
        Chart.Builder b = Chart.builder().title(t.name()).x(Axis.of(xv.title(), xv.scale())).y(Axis.of(ys.length == 1 ? ys[0] : "", Scale.LINEAR));
        String[] palette = {"#1f77b4", "#ff7f0e", "#2ca02c", RED, "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
        Thin thin = new Thin();
        for (int i = 0; i < ys.length; i++) {
            b.add(thin.line(ys[i], xv.values(), Columns.numbers(Columns.require(t, "line plot", ys[i])), palette[i % palette.length]));
        }
        thin.note(b, 0.97);
        return Figure.of(b.build());
    }

    /** Horizontal bars of the {@code top} largest {@code value}s of {@code t}, labelled by column {@code label}. */
    public static Figure bars(Table t, String label, String value, int top) {
        return topBars(t.name(), Columns.texts(Columns.require(t, "bar plot", label)),
                Columns.numbers(Columns.require(t, "bar plot", value)), 1, value, "#1f77b4", top, t.rowCount());
    }

    // ------------------------------------------------------------------------------------------- helpers

    private static Figure topBars(String title, String[] labels, double[] values, double divisor, String axis, String color,
                                  int top, int rows) {
        Integer[] order = order(values, top, false);
        String[] cats = new String[order.length];
        double[] v = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            cats[i] = labels[order[i]];
            v[i] = values[order[i]] / divisor;
        }
        Chart c = Chart.builder().title(title(title, order.length, rows)).x(Axis.of(axis, Scale.LINEAR))
                .y(Axis.of("", Scale.CATEGORY)).size(900, barHeight(order.length, 1))
                .add(Series.categorical(axis, Kind.HBAR, uniqueLabels(cats), v, color)).build();
        return Figure.of(c);
    }

    /** Bar labels must be distinct categories: repeated labels get " (2)", " (3)"… */
    private static String[] uniqueLabels(String[] cats) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        String[] out = new String[cats.length];
        for (int i = 0; i < cats.length; i++) {
            int n = seen.merge(cats[i], 1, Integer::sum);
            out[i] = n == 1 ? cats[i] : cats[i] + " (" + n + ")";
        }
        return out;
    }

    private static String title(String what, int shown, int rows) {
        return shown < rows ? what + " — top " + shown + " of " + rows : what;
    }

    private static int barHeight(int bars, int perBar) {
        return Math.max(220, Math.min(1400, 110 + bars * (16 + 8 * perBar)));
    }

    /** Row indices of the {@code top} largest values (by absolute value if {@code abs}), largest first; NaN last. */
    private static Integer[] order(double[] v, int top, boolean abs) {
        if (top <= 0) {
            throw new IllegalArgumentException("top must be positive, not " + top);
        }
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Comparator<Integer> by = Comparator.comparingDouble(i -> Double.isFinite(v[i]) ? (abs ? Math.abs(v[i]) : v[i]) : Double.NEGATIVE_INFINITY);
        Arrays.sort(idx, by.reversed());
        return Arrays.copyOf(idx, Math.min(top, idx.length));
    }

    private static double[] scale(double[] v, double f) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i] * f;
        }
        return o;
    }

    /** A byte unit that keeps the largest value readable. */
    private record Unit(String name, double divisor) {
        static Unit of(double[] bytes) {
            double max = 0;
            for (double d : bytes) {
                if (Double.isFinite(d)) {
                    max = Math.max(max, Math.abs(d));
                }
            }
            if (max >= 1024.0 * MIB) {
                return new Unit("GiB", 1024.0 * MIB);
            }
            if (max >= MIB) {
                return new Unit("MiB", MIB);
            }
            if (max >= 1024) {
                return new Unit("KiB", 1024);
            }
            return new Unit("bytes", 1);
        }
    }
}
