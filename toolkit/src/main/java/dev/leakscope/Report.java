package dev.leakscope;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The post-mortem memory report — the seed's "Example Analysis Report" with every figure computed: sample count,
 * duration, initial/final/max rss and growth, heapUsed/external/arrayBuffers ranges, GC counts and pauses, errors by
 * code, the leak verdict and the event-loop verdict with their evidence.
 * <pre>{@code
 * Report r = Report.of(Logs.open("app.log"));
 * r.text()  r.markdown()  r.html()  r.sections()  r.data()
 * }</pre>
 * A report is a list of {@link Section}s of {@link Block}s (text, facts, tables); renderers walk them, so a new kind
 * of block (a figure) renders in HTML without touching the sections. {@link #data()} hands the input tables (memory,
 * gc, eventLoop, errors, spans) to whoever wants to plot them.
 */
public final class Report implements Displayable {

    private static final double MB = 1024 * 1024;

    // ------------------------------------------------------------------ the model

    /** One piece of a section; renders itself in every format. */
    public interface Block {
        /** Plain text (fixed width). */
        String text();

        /** GitHub-flavoured Markdown. */
        String markdown();

        /** An HTML fragment (self-contained, no scripts required). */
        String html();
    }

    /** A paragraph. */
    public record Text(String value) implements Block {
        public String text() {
            return value + "\n";
        }

        public String markdown() {
            return value + "\n";
        }

        public String html() {
            return "<p>" + esc(value) + "</p>\n";
        }
    }

    /** Label–value lines, e.g. "Initial RSS: 58 MB". */
    public record Facts(List<Map.Entry<String, String>> rows) implements Block {
        public String text() {
            StringBuilder sb = new StringBuilder();
            rows.forEach(e -> sb.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
            return sb.toString();
        }

        public String markdown() {
            return text();
        }

        public String html() {
            StringBuilder sb = new StringBuilder("<ul>\n");
            rows.forEach(e -> sb.append("<li><b>").append(esc(e.getKey())).append(":</b> ").append(esc(e.getValue())).append("</li>\n"));
            return sb.append("</ul>\n").toString();
        }
    }

    /** A table with a caption. */
    public record TableBlock(String caption, Table table) implements Block {
        public String text() {
            return caption + ":\n" + table.printAll() + "\n";
        }

        public String markdown() {
            StringBuilder sb = new StringBuilder("*" + caption + "*\n\n|");
            for (Column<?> c : table.columns()) {
                sb.append(' ').append(c.name()).append(" |");
            }
            sb.append("\n|");
            for (Column<?> c : table.columns()) {
                sb.append(c instanceof NumericColumn ? "---:|" : "---|");
            }
            sb.append('\n');
            for (int r = 0; r < table.rowCount(); r++) {
                sb.append('|');
                for (Column<?> c : table.columns()) {
                    sb.append(' ').append(cell(c, r).replace("|", "\\|")).append(" |");
                }
                sb.append('\n');
            }
            return sb.toString();
        }

        public String html() {
            StringBuilder sb = new StringBuilder("<table>\n<caption>" + esc(caption) + "</caption>\n<tr>");
            for (Column<?> c : table.columns()) {
                sb.append("<th>").append(esc(c.name())).append("</th>");
            }
            sb.append("</tr>\n");
            for (int r = 0; r < table.rowCount(); r++) {
                sb.append("<tr>");
                for (Column<?> c : table.columns()) {
                    sb.append(c instanceof NumericColumn ? "<td style=\"text-align:right\">" : "<td>").append(esc(cell(c, r))).append("</td>");
                }
                sb.append("</tr>\n");
            }
            return sb.append("</table>\n").toString();
        }

        private static String cell(Column<?> c, int r) {
            return c.isMissing(r) ? "" : c.getString(r);
        }
    }

    /** A titled section of blocks. */
    public record Section(String title, List<Block> blocks) {
        public Section {
            blocks = List.copyOf(blocks);
        }

        /** This section with one more block at the end. */
        public Section with(Block b) {
            List<Block> l = new ArrayList<>(blocks);
            l.add(b);
            return new Section(title, l);
        }
    }

    private final String title;
    private final List<Section> sections;
    private final Map<String, Table> data;
    private final LeakVerdict leak;
    private final EventLoop.Verdict loop;

    private Report(String title, List<Section> sections, Map<String, Table> data, LeakVerdict leak, EventLoop.Verdict loop) {
        this.title = title;
        this.sections = List.copyOf(sections);
        this.data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        this.leak = leak;
        this.loop = loop;
    }

    /** The report's title. */
    public String title() {
        return title;
    }

    /** The sections, in order. */
    public List<Section> sections() {
        return sections;
    }

    /** The section with this title, or null. */
    public Section section(String title) {
        return sections.stream().filter(s -> s.title().equals(title)).findFirst().orElse(null);
    }

    /** The input tables by name, those that exist: metrics (every sample), memory, gc, eventLoop, errors, spans (the
     *  event-loop-blocked ones). */
    public Map<String, Table> data() {
        return data;
    }

    /** The leak verdict. */
    public LeakVerdict leak() {
        return leak;
    }

    /** The event-loop verdict. */
    public EventLoop.Verdict eventLoop() {
        return loop;
    }

    /** A copy with a section added (or replacing the one with the same title, in place). */
    public Report with(Section s) {
        List<Section> l = new ArrayList<>(sections);
        int i = -1;
        for (int k = 0; k < l.size(); k++) {
            if (l.get(k).title().equals(s.title())) {
                i = k;
            }
        }
        if (i >= 0) {
            l.set(i, s);
        } else {
            l.add(s);
        }
        return new Report(title, l, data, leak, loop);
    }

    // ------------------------------------------------------------------ rendering

    /** Plain text, as the seed's report. */
    public String text() {
        StringBuilder sb = new StringBuilder("=== " + title + " ===\n");
        for (Section s : sections) {
            sb.append('\n').append(s.title()).append('\n');
            for (Block b : s.blocks()) {
                sb.append(b.text());
            }
        }
        return sb.toString();
    }

    /** Markdown for the post-mortem document. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("# " + title + "\n");
        for (Section s : sections) {
            sb.append("\n## ").append(s.title()).append("\n\n");
            for (Block b : s.blocks()) {
                sb.append(b.markdown()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Shown by the notebook and the workbench: text, Markdown and an HTML fragment. */
    @Override
    public Map<String, String> mimeBundle() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TEXT, text());
        m.put(MARKDOWN, markdown());
        m.put(HTML, HtmlReport.of(this).fragment()); // with the figures of its data, secrets masked as in html()
        return m;
    }

    /** The report's body as an HTML fragment (no page wrapper), for embedding. */
    public String htmlFragment() {
        StringBuilder sb = new StringBuilder("<div class=\"leakscope-report\">\n<h1>").append(esc(title)).append("</h1>\n");
        for (Section s : sections) {
            sb.append("<h2>").append(esc(s.title())).append("</h2>\n");
            for (Block b : s.blocks()) {
                sb.append(b.html());
            }
        }
        return sb.append("</div>\n").toString();
    }

    /**
     * ONE self-contained HTML page: sections, tables, verdicts and the figures of {@link #data()} (plotly.js inline,
     * a PNG under every plot), secrets masked ({@link Redact}). See {@link HtmlReport#of(Report)} to add more.
     */
    public String html() {
        return html(true);
    }

    /** {@link #html()}, with secrets masked or not. */
    public String html(boolean redact) {
        return HtmlReport.of(this).redact(redact).html();
    }

    /** Renders as "text", "md" (or "markdown") or "html". */
    public String render(String format) {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "text": case "txt": return text();
            case "md": case "markdown": return markdown();
            case "html": return html();
            default: throw new IllegalArgumentException("unknown report format '" + format + "' (text, md, html)");
        }
    }

    @Override
    public String toString() {
        return text();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ------------------------------------------------------------------ building

    /** The report of these logs. */
    public static Report of(Logs logs) {
        return builder().logs(logs).build();
    }

    /** The report of these logs and metrics (scrapes, spans…). */
    public static Report of(Logs logs, Metrics metrics) {
        return builder().logs(logs).metrics(metrics).build();
    }

    /** A builder: logs, metrics, criteria, title. */
    public static Builder builder() {
        return new Builder();
    }

    /** Assembles a report; every input is optional. */
    public static final class Builder {
        private Logs logs;
        private final List<Metrics> metrics = new ArrayList<>();
        private Leak criteria = Leak.criteria();
        private String title = "Memory Analysis Report";

        /** The logs: memory, GC, event-loop and error lines. */
        public Builder logs(Logs l) {
            this.logs = l;
            return this;
        }

        /** Metrics to add (null is ignored): memory and event loop when the logs have none, blocked spans. */
        public Builder metrics(Metrics m) {
            if (m != null) {
                metrics.add(m);
            }
            return this;
        }

        /** The leak criteria (default {@link Leak#criteria()}). */
        public Builder criteria(Leak c) {
            this.criteria = c;
            return this;
        }

        /** The title (default "Memory Analysis Report"). */
        public Builder title(String t) {
            this.title = t;
            return this;
        }

        /** The report. */
        public Report build() {
            return Report.build(title, logs, metrics, criteria);
        }
    }

    private static Report build(String title, Logs logs, List<Metrics> metrics, Leak criteria) {
        Map<String, Table> data = new LinkedHashMap<>();
        Table memory = logs == null ? null : logs.memory();
        Table gc = logs == null ? null : logs.gc();
        Table loopSamples = logs == null ? null : logs.eventLoop();
        Table errors = logs == null ? null : logs.errors();
        String memorySource = "logs";
        Table spans = null;
        for (Metrics m : metrics) {
            Table s = m.blockedSpans();
            if (m.spans().rowCount() > 0) {
                spans = spans == null ? s : spans.append(s);
            }
            if (m.size() > 0) {
                Table mm = m.memory();
                if ((memory == null || memory.rowCount() == 0) && mm.rowCount() > 0) {
                    memory = mm;
                    memorySource = "metrics (prom-client)";
                }
                Table ml = m.eventLoop();
                if ((loopSamples == null || loopSamples.rowCount() == 0) && ml.rowCount() > 0) {
                    loopSamples = ml;
                }
                data.merge("metrics", m.table(), (all, more) -> all.copy().append(more)); // same columns; source says which
            }
        }
        if (memory != null) {
            data.put("memory", memory);
        }
        if (gc != null && gc.rowCount() > 0) {
            data.put("gc", gc);
        }
        if (loopSamples != null && loopSamples.rowCount() > 0) {
            data.put("eventLoop", loopSamples);
        }
        if (errors != null && errors.rowCount() > 0) {
            data.put("errors", errors);
        }
        if (spans != null) {
            data.put("spans", spans);
        }
        LeakVerdict leak = criteria.judge(memory, gc, logs == null ? java.util.OptionalLong.empty() : logs.heapLimit());
        EventLoop.Verdict loop = EventLoop.verdict(loopSamples, spans);

        List<Section> sections = new ArrayList<>();
        List<Map.Entry<String, String>> src = new ArrayList<>();
        if (logs != null) {
            // an empty file is named as such: a rotated-away log or a stdout that went elsewhere explains an empty report
            Table formats = logs.formats();
            java.util.Set<String> empty = new java.util.HashSet<>();
            for (int i = 0; i < formats.rowCount(); i++) {
                if (formats.stringColumn("format").get(i).equals("(empty file)")) {
                    empty.add(formats.stringColumn("file").get(i));
                }
            }
            src.add(Map.entry("Logs", String.join(", ", logs.paths().stream()
                    .map(p -> p + (empty.contains(p.toString()) ? " (empty)" : "")).toList())));
            Table w = logs.warnings();
            if (w.rowCount() > 0) {
                // the first few by name (a cut .gz, a truncated block): a command-line user has no Logs.warnings() to ask
                StringBuilder sb = new StringBuilder(w.rowCount() + " malformed or partial records (see Logs.warnings())");
                for (int i = 0; i < Math.min(3, w.rowCount()); i++) {
                    sb.append(i == 0 ? ": " : "; ").append(w.stringColumn("file").get(i));
                    if (!w.longColumn("line").isMissing(i) && w.longColumn("line").get(i) > 0) {
                        sb.append(" line ").append(w.longColumn("line").get(i));
                    }
                    sb.append(": ").append(w.stringColumn("message").get(i));
                }
                if (w.rowCount() > 3) {
                    sb.append("; …");
                }
                src.add(Map.entry("Warnings", sb.toString()));
            }
        }
        if (!metrics.isEmpty()) {
            List<String> read = new ArrayList<>();
            int samples = 0, spanCount = 0;
            for (Metrics m : metrics) {
                read.addAll(m.sources());
                samples += m.size();
                spanCount += m.spans().rowCount();
            }
            src.add(Map.entry("Metrics", String.join(", ", read) + " (" + samples + " sample" + (samples == 1 ? "" : "s")
                    + ", " + spanCount + " span" + (spanCount == 1 ? "" : "s") + ")"));
        }
        src.add(Map.entry("Memory samples from", memorySource));
        sections.add(new Section("Sources", List.of(new Facts(src))));
        sections.add(memorySection(memory));
        if (gc != null && gc.rowCount() > 0) {
            sections.add(gcSection(gc));
        }
        if (errors != null && errors.rowCount() > 0) {
            sections.add(errorSection(errors));
        }
        List<Block> lb = new ArrayList<>();
        lb.add(new Text(leak.outcome().label() + ": " + leak.reason()));
        lb.add(new TableBlock("Evidence (MB; slopes per " + (leak.slopeUnit().isEmpty() ? "min" : leak.slopeUnit()) + ")", leak.evidence()));
        sections.add(new Section("Leak verdict", lb));
        sections.add(new Section("Event loop", List.of(new Text(loop.headline()), new TableBlock("Evidence", loop.evidence()))));
        String conclusion = switch (leak.outcome()) {
            case LEAK -> "MEMORY LEAK DETECTED";
            case NO_LEAK -> "NO MEMORY LEAK DETECTED";
            case INCONCLUSIVE -> "INCONCLUSIVE (" + leak.reason() + ")";
        };
        String loopLine = switch (loop.outcome()) {
            case BLOCKED -> "; EVENT LOOP BLOCKED";
            case OK -> "; event loop healthy";
            case INCONCLUSIVE -> "";
        };
        sections.add(new Section("Conclusion", List.of(new Text("Conclusion: " + conclusion + loopLine))));
        return new Report(title, sections, data, leak, loop);
    }

    private static Section memorySection(Table memory) {
        List<Map.Entry<String, String>> f = new ArrayList<>();
        int n = memory == null ? 0 : memory.rowCount();
        f.add(Map.entry("Sample count", String.valueOf(n)));
        if (n == 0) {
            return new Section("Memory", List.of(new Facts(f)));
        }
        double dur = duration(memory);
        f.add(Map.entry("Duration", Double.isNaN(dur) ? "unknown (samples without times)" : fmtDuration(dur)));
        double[] rss = mb(memory, "rss");
        if (rss.length > 0) {
            double first = rss[0], last = rss[rss.length - 1], max = Arrays.stream(rss).max().getAsDouble();
            f.add(Map.entry("Initial RSS", fmt(first) + " MB"));
            f.add(Map.entry("Final RSS", fmt(last) + " MB"));
            f.add(Map.entry("Max RSS", fmt(max) + " MB"));
            f.add(Map.entry("RSS growth", String.format(Locale.ROOT, "%s MB (%+.0f %%) — rss alone is no evidence of a leak",
                    fmt(last - first), first > 0 ? 100 * (last - first) / first : Double.NaN)));
        }
        for (String[] c : new String[][]{{"heapTotal", "V8 heap (heapTotal)"}, {"heapUsed", "V8 heap (heapUsed)"},
                {"external", "External memory"}, {"arrayBuffers", "ArrayBuffers"}}) {
            double[] v = mb(memory, c[0]);
            if (v.length > 0) {
                double lo = Arrays.stream(v).min().getAsDouble(), hi = Arrays.stream(v).max().getAsDouble();
                f.add(Map.entry(c[1], String.format(Locale.ROOT, "%s–%s MB (first %s, last %s)", fmt(lo), fmt(hi), fmt(v[0]),
                        fmt(v[v.length - 1]))));
            }
        }
        return new Section("Memory", List.of(new Facts(f)));
    }

    private static double duration(Table memory) {
        if (!memory.columnNames().contains("elapsedS")) {
            return Double.NaN;
        }
        NumericColumn<?> e = memory.numberColumn("elapsedS");
        double min = Double.NaN, max = Double.NaN;
        for (int i = 0; i < memory.rowCount(); i++) {
            if (!e.isMissing(i)) {
                double v = e.getDouble(i);
                min = Double.isNaN(min) ? v : Math.min(min, v);
                max = Double.isNaN(max) ? v : Math.max(max, v);
            }
        }
        return max - min;
    }

    private static String fmtDuration(double s) {
        if (s < 120) {
            return String.format(Locale.ROOT, "%.0f seconds", s);
        }
        Duration d = Duration.ofMillis(Math.round(s * 1000));
        return String.format(Locale.ROOT, "%.1f minutes (%dh %02dm %02ds)", s / 60, d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }

    private static double[] mb(Table t, String col) {
        if (t == null || !t.columnNames().contains(col)) {
            return new double[0];
        }
        NumericColumn<?> c = t.numberColumn(col);
        return java.util.stream.IntStream.range(0, t.rowCount()).filter(i -> !c.isMissing(i))
                .mapToDouble(i -> c.getDouble(i) / MB).filter(v -> !Double.isNaN(v)).toArray();
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "–" : Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static Section gcSection(Table gc) {
        Map<String, double[]> byType = new TreeMap<>(); // count, total pause, max pause
        NumericColumn<?> pause = gc.numberColumn("pauseMs");
        StringColumn type = gc.stringColumn("type");
        List<Double> pauses = new ArrayList<>();
        for (int i = 0; i < gc.rowCount(); i++) {
            double p = pause.isMissing(i) ? 0 : pause.getDouble(i);
            double[] a = byType.computeIfAbsent(type.get(i), k -> new double[3]);
            a[0]++;
            a[1] += p;
            a[2] = Math.max(a[2], p);
            pauses.add(p);
        }
        StringColumn t = StringColumn.create("type");
        tech.tablesaw.api.IntColumn count = tech.tablesaw.api.IntColumn.create("count");
        tech.tablesaw.api.DoubleColumn total = tech.tablesaw.api.DoubleColumn.create("totalPauseMs");
        tech.tablesaw.api.DoubleColumn max = tech.tablesaw.api.DoubleColumn.create("maxPauseMs");
        byType.forEach((k, a) -> {
            t.append(k);
            count.append((int) a[0]);
            total.append(Math.round(a[1] * 100) / 100.0);
            max.append(a[2]);
        });
        List<Map.Entry<String, String>> f = new ArrayList<>();
        f.add(Map.entry("GC events", String.valueOf(gc.rowCount())));
        long full = gc.booleanColumn("full").countTrue();
        f.add(Map.entry("Full GCs (Mark-Compact)", String.valueOf(full)));
        // one log may hold several processes (cluster workers, a restart): the lines of each pid, and within a pid each
        // run (its uptime starts again), are separate clocks
        NumericColumn<?> pid = gc.columnNames().contains("pid") ? gc.numberColumn("pid") : null;
        NumericColumn<?> up = gc.numberColumn("uptimeMs");
        Map<Double, Integer> fullByPid = new java.util.LinkedHashMap<>();
        for (int i = 0; i < gc.rowCount(); i++) {
            fullByPid.merge(pid == null || pid.isMissing(i) ? 0.0 : pid.getDouble(i), gc.booleanColumn("full").get(i) ? 1 : 0, Integer::sum);
        }
        double mainPid = fullByPid.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0.0);
        if (fullByPid.size() > 1) {
            f.add(Map.entry("Processes in the GC trace", fullByPid.size() + " (pids " + fullByPid.keySet().stream()
                    .map(d -> String.valueOf(d.longValue())).collect(java.util.stream.Collectors.joining(", "))
                    + "); the heap after full GCs and the leak verdict are pid " + (long) mainPid + "'s (most full GCs)"));
        }
        if (full > 0) {
            Table fg = gc.where(gc.booleanColumn("full").isTrue());
            if (fullByPid.size() > 1) {
                fg = fg.where(fg.numberColumn("pid").isEqualTo(mainPid));
            }
            NumericColumn<?> after = fg.numberColumn("heapAfter");
            f.add(Map.entry("Heap after first / last full GC", fmt(after.getDouble(0) / MB) + " / "
                    + fmt(after.getDouble(fg.rowCount() - 1) / MB) + " MB"));
        }
        // clinic doctor: blocking GC time ≥ 100 ms in any 1 s — of one process, on its own clock
        double worst = 0;
        Map<Double, double[]> window = new HashMap<>();        // per pid: sum, uptime of the last line
        Map<Double, java.util.ArrayDeque<double[]>> inWindow = new HashMap<>(); // per pid: (uptime, pause) in the last 1 s
        for (int i = 0; i < gc.rowCount(); i++) {
            double key = pid == null || pid.isMissing(i) ? 0.0 : pid.getDouble(i);
            double u = up.getDouble(i), p = pause.isMissing(i) ? 0 : pause.getDouble(i);
            double[] w = window.computeIfAbsent(key, k -> new double[] {0, Double.NEGATIVE_INFINITY});
            java.util.ArrayDeque<double[]> q = inWindow.computeIfAbsent(key, k -> new java.util.ArrayDeque<>());
            if (u < w[1]) { // the uptime went back: a new run of the process
                q.clear();
                w[0] = 0;
            }
            w[1] = u;
            q.addLast(new double[] {u, p});
            w[0] += p;
            while (u - q.peekFirst()[0] >= 1000) {
                w[0] -= q.pollFirst()[1];
            }
            worst = Math.max(worst, w[0]);
        }
        f.add(Map.entry("Worst GC pause time in 1 s", String.format(Locale.ROOT, "%.1f ms%s", worst,
                worst >= 100 ? " — GC issue (clinic doctor: ≥ 100 ms per second)" : "")));
        double totalPause = pauses.stream().mapToDouble(Double::doubleValue).sum();
        f.add(Map.entry("Total GC pause", String.format(Locale.ROOT, "%.0f ms", totalPause)));
        return new Section("Garbage collection", List.of(new Facts(f),
                new TableBlock("GC by type", Table.create("gcByType", t, count, total, max))));
    }

    private static Section errorSection(Table errors) {
        Map<String, Object[]> by = new TreeMap<>(); // count, first, last, example
        StringColumn code = errors.stringColumn("code");
        StringColumn msg = errors.stringColumn("message");
        var time = errors.instantColumn("time");
        for (int i = 0; i < errors.rowCount(); i++) {
            String c = code.get(i).isEmpty() ? "(no code)" : code.get(i);
            Object[] a = by.computeIfAbsent(c, k -> new Object[]{0, null, null, msg.get(0)});
            if ((int) a[0] == 0) {
                a[3] = msg.get(i);
            }
            a[0] = (int) a[0] + 1;
            if (!time.isMissing(i)) {
                Instant t = time.get(i);
                if (a[1] == null) {
                    a[1] = t;
                }
                a[2] = t;
            }
        }
        StringColumn c = StringColumn.create("code"), first = StringColumn.create("first"), last = StringColumn.create("last"),
                example = StringColumn.create("example");
        tech.tablesaw.api.IntColumn n = tech.tablesaw.api.IntColumn.create("count");
        by.entrySet().stream().sorted((a, b) -> Integer.compare((int) b.getValue()[0], (int) a.getValue()[0])).forEach(e -> {
            c.append(e.getKey());
            n.append((int) e.getValue()[0]);
            first.append(e.getValue()[1] == null ? "" : e.getValue()[1].toString());
            last.append(e.getValue()[2] == null ? "" : e.getValue()[2].toString());
            String ex = (String) e.getValue()[3];
            example.append(ex.length() > 100 ? ex.substring(0, 100) + "…" : ex);
        });
        return new Section("Errors", List.of(new Text(errors.rowCount() + " error lines"),
                new TableBlock("Errors by code", Table.create("errorsByCode", c, n, first, last, example))));
    }
}
