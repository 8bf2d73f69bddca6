package dev.leakscope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakscope.logs.LogReader;
import dev.leakscope.metrics.GrafanaCsv;
import dev.leakscope.metrics.JsonMetrics;
import dev.leakscope.metrics.PromText;
import dev.leakscope.metrics.Samples;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Metrics as tables: prom-client scrapes (text 0.0.4 and OpenMetrics; several scrapes in a file become a time
 * series), Prometheus {@code query_range}/{@code query} answers saved as JSON, Grafana CSV exports, a live Prometheus
 * ({@link #prometheus(String)}), and OTLP/JSON trace exports ("event-loop-blocked" spans).
 * <pre>{@code
 * Metrics m = Metrics.open("scrapes.prom");
 * m.table()        // source, time, scrape, metric, labels, value
 * m.memory()       // time, elapsedS, rss, heapTotal, heapUsed, external, majorGcs — from prom-client's default metrics
 * m.eventLoop()    // time, elapsedS, elu, delayMinMs … delayMaxMs
 * Metrics.open("spans.json").spans()   // name, start, end, durationMs, service, asyncType, attributes
 * Metrics.prometheus("http://127.0.0.1:9090").range("nodejs_heap_size_used_bytes", from, to, step)
 * }</pre>
 */
public final class Metrics {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Samples samples;
    private final List<JsonMetrics.Span> spans;
    private final List<String> sources;

    Metrics(Samples samples, List<JsonMetrics.Span> spans, List<String> sources) {
        this.samples = samples;
        this.spans = spans;
        this.sources = List.copyOf(sources);
    }

    /** Reads metric files of any supported kind (sniffed per file) into one set of samples and spans. */
    public static Metrics open(String first, String... more) {
        List<Path> all = new ArrayList<>();
        all.add(Path.of(first));
        for (String m : more) {
            all.add(Path.of(m));
        }
        return open(all);
    }

    /** Reads metric files (sniffed per file). */
    public static Metrics open(Path first, Path... more) {
        List<Path> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(more));
        return open(all);
    }

    /** Reads metric files (sniffed per file); throws {@link LogFormatException} naming the file for unknown formats. */
    public static Metrics open(List<Path> paths) {
        Samples all = new Samples();
        List<JsonMetrics.Span> spans = new ArrayList<>();
        for (Path p : paths) {
            readOne(p, all, spans);
        }
        return new Metrics(all, spans, paths.stream().map(Path::toString).toList());
    }

    /** A live Prometheus server's HTTP API, e.g. {@code http://127.0.0.1:9090}. */
    public static Prometheus prometheus(String url) {
        return new Prometheus(url);
    }

    private static void readOne(Path p, Samples all, List<JsonMetrics.Span> spans) {
        String text;
        try (var in = LogReader.open(p)) {
            // look before reading it all: a core or another binary file given by mistake is refused at once
            byte[] first = in.readNBytes(64 * 1024);
            for (int i = 0; i < first.length; i++) {
                if (first[i] == 0) {
                    throw new LogFormatException(p, i, "not a metrics file: binary data (a NUL byte) at 0x" + Integer.toHexString(i)
                            + "; first bytes " + HexFormat.ofDelimiter(" ").formatHex(first, 0, Math.min(first.length, 16)));
                }
            }
            byte[] rest = in.readAllBytes();
            if (in instanceof LogReader.Decompressed z && z.damage() != null) {
                throw new LogFormatException(p, -1, z.damage());
            }
            byte[] bytes = new byte[first.length + rest.length];
            System.arraycopy(first, 0, bytes, 0, first.length);
            System.arraycopy(rest, 0, bytes, first.length, rest.length);
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new LogFormatException(p, -1, "no such file");
        } catch (IOException e) {
            throw new LogFormatException(p, -1, LogReader.cannotRead(e), e);
        }
        String head = text.length() > 4096 ? text.substring(0, 4096) : text;
        String trimmed = head.stripLeading();
        if (trimmed.isEmpty()) {
            throw new LogFormatException(p, 0, "empty metrics file");
        }
        try {
            if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
                List<JsonNode> docs = new ArrayList<>();
                try {
                    docs.add(MAPPER.readTree(text));
                } catch (IOException whole) {
                    // JSON lines: one document per line
                    int n = 0;
                    for (String line : text.split("\n")) {
                        n++;
                        if (!line.isBlank()) {
                            try {
                                docs.add(MAPPER.readTree(line));
                            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                                throw new LogFormatException(p, -1, "line " + n + " is not JSON (" + e.getOriginalMessage()
                                        + " at column " + (e.getLocation() != null ? e.getLocation().getColumnNr() : 0)
                                        + "): expected a Prometheus API answer, OTLP/JSON or JSON lines; it starts: " + cut(line)
                                        + (n == 1 && !trimmed.startsWith("{\"") ? " — a log? give it with --log / Logs.open" : ""));
                            } catch (IOException e) {
                                throw new LogFormatException(p, -1, "line " + n + ": " + LogReader.cannotRead(e), e);
                            }
                        }
                    }
                }
                JsonNode d0 = docs.get(0);
                if (d0.has("resourceSpans")) {
                    spans.addAll(JsonMetrics.otlpSpans(p, docs));
                    return;
                }
                if (d0.has("status") && d0.has("data") || d0.has("errorType")) {
                    for (JsonNode d : docs) {
                        all.addAll(JsonMetrics.prometheusAnswer(d, p.toString(), p.toString(), ""));
                    }
                    return;
                }
                throw new LogFormatException(p, 0, "JSON, but neither a Prometheus API answer ({\"status\",\"data\"}) nor an "
                        + "OTLP/JSON export ({\"resourceSpans\"}); it starts: " + cut(head));
            }
            String firstLine = trimmed.lines().findFirst().orElse("");
            if (GrafanaCsv.looksLike(firstLine)) {
                all.addAll(GrafanaCsv.read(p, text.lines().collect(Collectors.toList())));
                return;
            }
            if (PromText.looksLike(head)) {
                long mtime;
                try {
                    mtime = Files.getLastModifiedTime(p).toMillis();
                } catch (IOException e) {
                    mtime = Long.MIN_VALUE;
                }
                all.addAll(PromText.read(p, new BufferedReader(new InputStreamReader(
                        new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)), mtime));
                return;
            }
        } catch (IOException e) {
            throw new LogFormatException(p, -1, LogReader.cannotRead(e), e);
        }
        throw new LogFormatException(p, 0, "unknown metrics format (expected a Prometheus/OpenMetrics exposition, a "
                + "Prometheus API JSON answer, a Grafana CSV or an OTLP/JSON export). First lines:\n" + firstLines(head));
    }

    private static String cut(String s) {
        s = s.replace('\n', ' ');
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    private static String firstLines(String head) {
        StringBuilder sb = new StringBuilder();
        head.lines().limit(5).forEach(l -> sb.append("  ").append(l.length() > 160 ? l.substring(0, 160) + "…" : l).append('\n'));
        return sb.toString();
    }

    /** Every sample: source, time, scrape, metric, labels, value. */
    public Table table() {
        return samples.table("metrics");
    }

    /** The samples of one metric: source, time, scrape, metric, labels, value. */
    public Table metric(String name) {
        Table t = table();
        return t.where(t.stringColumn("metric").isEqualTo(name));
    }

    /** Metric names with their number of samples and series: metric, samples, series. */
    public Table names() {
        Map<String, Integer> count = new TreeMap<>();
        Map<String, java.util.Set<String>> series = new HashMap<>();
        Table t = table();
        for (int i = 0; i < t.rowCount(); i++) {
            String m = t.stringColumn("metric").get(i);
            count.merge(m, 1, Integer::sum);
            series.computeIfAbsent(m, k -> new java.util.HashSet<>()).add(t.stringColumn("labels").get(i));
        }
        tech.tablesaw.api.IntColumn c = tech.tablesaw.api.IntColumn.create("samples");
        tech.tablesaw.api.IntColumn s = tech.tablesaw.api.IntColumn.create("series");
        count.forEach((k, v) -> {
            c.append(v);
            s.append(series.get(k).size());
        });
        return Table.create("names", StringColumn.create("metric", count.keySet()), c, s);
    }

    /** One value per time for several metrics (the busiest label set of each), columns named by {@code columns}. */
    private Table wide(String name, Map<String, String> columns, double scale) {
        Table t = table();
        Map<Long, double[]> rows = new TreeMap<>();
        List<String> cols = new ArrayList<>(columns.values());
        int k = 0;
        for (Map.Entry<String, String> e : columns.entrySet()) {
            final int col = k++;
            Table m = t.where(t.stringColumn("metric").isEqualTo(e.getKey()));
            if (m.rowCount() == 0) {
                continue;
            }
            // the label set with the most samples
            Map<String, Integer> byLabels = new HashMap<>();
            m.stringColumn("labels").forEach(l -> byLabels.merge(l, 1, Integer::sum));
            String best = byLabels.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
            for (int i = 0; i < m.rowCount(); i++) {
                if (!m.stringColumn("labels").get(i).equals(best) || m.instantColumn("time").isMissing(i)) {
                    continue;
                }
                long ms = m.instantColumn("time").get(i).toEpochMilli();
                double[] r = rows.computeIfAbsent(ms, x -> {
                    double[] a = new double[cols.size()];
                    java.util.Arrays.fill(a, Double.NaN);
                    return a;
                });
                r[col] = m.doubleColumn("value").getDouble(i) * (e.getKey().endsWith("_seconds") ? scale : 1); // NaN samples are missing values
            }
        }
        InstantColumn time = InstantColumn.create("time");
        DoubleColumn elapsed = DoubleColumn.create("elapsedS");
        List<DoubleColumn> vals = new ArrayList<>();
        for (String c : cols) {
            vals.add(DoubleColumn.create(c));
        }
        long first = rows.isEmpty() ? 0 : rows.keySet().iterator().next();
        rows.forEach((ms, r) -> {
            time.append(Instant.ofEpochMilli(ms));
            elapsed.append((ms - first) / 1000.0);
            for (int i = 0; i < r.length; i++) {
                vals.get(i).append(r[i]);
            }
        });
        Table out = Table.create(name, time, elapsed);
        vals.forEach(out::addColumns);
        return out;
    }

    /** prom-client's memory gauges as memoryUsage columns: time, elapsedS, rss, heapTotal, heapUsed, external (bytes),
     *  majorGcs (full GCs so far, from nodejs_gc_duration_seconds_count{kind="major"}). */
    public Table memory() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("process_resident_memory_bytes", "rss");
        m.put("nodejs_heap_size_total_bytes", "heapTotal");
        m.put("nodejs_heap_size_used_bytes", "heapUsed");
        m.put("nodejs_external_memory_bytes", "external");
        Table t = wide("memory", m, 1);
        // full GCs so far (prom-client's nodejs_gc_duration_seconds_count{kind="major"}), to tell the leak verdict
        // whether a full GC happened between samples
        Table g = table();
        g = g.where(g.stringColumn("metric").isEqualTo("nodejs_gc_duration_seconds_count")
                .and(g.stringColumn("labels").containsString("kind=\"major\"")));
        Map<Long, Double> major = new HashMap<>();
        for (int i = 0; i < g.rowCount(); i++) {
            if (!g.instantColumn("time").isMissing(i)) {
                major.merge(g.instantColumn("time").get(i).toEpochMilli(), g.doubleColumn("value").get(i), Double::sum);
            }
        }
        DoubleColumn mg = DoubleColumn.create("majorGcs");
        boolean seen = false;
        for (int i = 0; i < t.rowCount(); i++) {
            // prom-client shows the series only after the first major GC: before it, the count is 0; once it has been
            // shown, a scrape without it (cut short, or a failed part) says nothing — missing, not 0
            Double v = t.instantColumn("time").isMissing(i) ? null : major.get(t.instantColumn("time").get(i).toEpochMilli());
            if (v != null) {
                seen = true;
                mg.append(v);
            } else if (seen) {
                mg.appendMissing();
            } else {
                mg.append(0.0);
            }
        }
        t.addColumns(mg);
        return t;
    }

    /** Event-loop gauges: time, elapsedS, elu, delayMinMs, delayMeanMs, delayP50Ms, delayP90Ms, delayP99Ms, delayMaxMs
     *  (from nodejs_eventloop_lag_*_seconds and an ELU gauge named nodejs_eventloop_utilization). */
    public Table eventLoop() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nodejs_eventloop_utilization", "elu");
        m.put("nodejs_eventloop_lag_min_seconds", "delayMinMs");
        m.put("nodejs_eventloop_lag_mean_seconds", "delayMeanMs");
        m.put("nodejs_eventloop_lag_p50_seconds", "delayP50Ms");
        m.put("nodejs_eventloop_lag_p90_seconds", "delayP90Ms");
        m.put("nodejs_eventloop_lag_p99_seconds", "delayP99Ms");
        m.put("nodejs_eventloop_lag_max_seconds", "delayMaxMs");
        return wide("eventLoop", m, 1000);
    }

    /** Spans of OTLP/JSON exports: name, start, end, durationMs, service, asyncType, attributes. */
    public Table spans() {
        InstantColumn start = InstantColumn.create("start"), end = InstantColumn.create("end");
        DoubleColumn dur = DoubleColumn.create("durationMs");
        StringColumn name = StringColumn.create("name"), service = StringColumn.create("service"),
                type = StringColumn.create("asyncType"), attrs = StringColumn.create("attributes");
        for (JsonMetrics.Span s : spans) {
            name.append(s.name());
            start.append(Instant.ofEpochSecond(0, s.startNanos()));
            end.append(Instant.ofEpochSecond(0, s.endNanos()));
            dur.append(s.durationMs());
            service.append(s.service());
            type.append(s.attributes().getOrDefault("asyncType", ""));
            attrs.append(s.attributes().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        return Table.create("spans", name, start, end, dur, service, type, attrs);
    }

    /** The "event-loop-blocked" spans only. */
    public Table blockedSpans() {
        Table t = spans();
        return t.where(t.stringColumn("name").isEqualTo("event-loop-blocked"));
    }

    /** Number of samples. */
    public int size() {
        return samples.size();
    }

    /** Where these came from: the files read, or the Prometheus server and query. */
    public List<String> sources() {
        return sources;
    }

    @Override
    public String toString() {
        return "Metrics[" + samples.size() + " samples, " + spans.size() + " spans]";
    }
}
