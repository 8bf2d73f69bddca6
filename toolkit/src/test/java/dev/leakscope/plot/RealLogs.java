package dev.leakscope.plot;

import dev.leakscope.testing.Artifacts;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tables with the documented column names (DESIGN.md: memory(), gc(), event-loop lines, blocked spans), parsed
 * minimally here from a real log of the example app run with {@code node --trace-gc … --log-format iso-line}.
 * Plots only need the column contract; this stands in until the logs reader is on main.
 */
public final class RealLogs {

    public final Path log;
    public final Path spans;
    public final List<String> lines;

    private RealLogs(Path log, Path spans) {
        this.log = log;
        this.spans = spans;
        try {
            this.lines = Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A 20 s leaking run with trace-gc, ISO-stamped memoryUsage blocks, 16 KiB per leaked request (so V8 runs
     * several full GCs in 20 s), a 150 ms block every 4 s, spans.
     */
    public static RealLogs leak() {
        Path spans = Artifacts.dir().resolve("plots-leak-spans.json");
        Path log = Artifacts.get("plots-leak-20s.log", "log", "OUT", "--seconds", "20", "--trace-gc", "--",
                "--log-format", "iso-line", "--payload", "16384", "--block-every", "4", "--block-ms", "150", "--spans", spans.toString());
        return new RealLogs(log, spans);
    }

    private static final Pattern ISO = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z)");
    private static final Pattern KV = Pattern.compile("^\\s*(\\w+): (\\d+),?$");
    static final Pattern GC = Pattern.compile("^\\[(\\d+):0x[0-9a-f]+\\]\\s+(\\d+) ms: ((?:Minor )?[A-Za-z-]+(?: \\(reduce\\))?) "
            + "([\\d.]+) \\(([\\d.]+)\\) -> ([\\d.]+) \\(([\\d.]+)\\) MB, ([\\d.]+) / ([\\d.]+) ms");

    /** time, rss, heapTotal, heapUsed, external, arrayBuffers (bytes). */
    public Table memory() {
        InstantColumn time = InstantColumn.create("time");
        String[] keys = {"rss", "heapTotal", "heapUsed", "external", "arrayBuffers"};
        LongColumn[] cols = new LongColumn[keys.length];
        for (int k = 0; k < keys.length; k++) {
            cols[k] = LongColumn.create(keys[k]);
        }
        for (int i = 0; i + 1 < lines.size(); i++) {
            Matcher iso = ISO.matcher(lines.get(i));
            if (iso.matches() && lines.get(i + 1).equals("{")) {
                long[] v = new long[keys.length];
                int j = i + 2, got = 0;
                for (; j < lines.size() && !lines.get(j).equals("}"); j++) {
                    Matcher kv = KV.matcher(lines.get(j));
                    if (kv.matches()) {
                        for (int k = 0; k < keys.length; k++) {
                            if (keys[k].equals(kv.group(1))) {
                                v[k] = Long.parseLong(kv.group(2));
                                got++;
                            }
                        }
                    }
                }
                if (got == keys.length) {
                    time.append(Instant.parse(iso.group(1)));
                    for (int k = 0; k < keys.length; k++) {
                        cols[k].append(v[k]);
                    }
                }
                i = j;
            }
        }
        Table t = Table.create("memory", time);
        t.addColumns(cols);
        return t;
    }

    /**
     * time, pid, type, heapBefore, heapAfter (MB as printed), pauseMs. trace-gc prints ms since process start;
     * the clock is anchored at the app's first ISO-stamped line minus the trace-gc ms printed just before it.
     */
    public Table gc() {
        long anchor = anchorMs();
        InstantColumn time = InstantColumn.create("time");
        LongColumn pid = LongColumn.create("pid");
        StringColumn type = StringColumn.create("type");
        DoubleColumn before = DoubleColumn.create("heapBefore"), after = DoubleColumn.create("heapAfter"),
                pause = DoubleColumn.create("pauseMs");
        for (String l : lines) {
            Matcher m = GC.matcher(l);
            if (m.find()) {
                time.append(Instant.ofEpochMilli(anchor + Long.parseLong(m.group(2))));
                pid.append(Long.parseLong(m.group(1)));
                type.append(m.group(3));
                before.append(Double.parseDouble(m.group(4)));
                after.append(Double.parseDouble(m.group(6)));
                pause.append(Double.parseDouble(m.group(8)));
            }
        }
        return Table.create("gc", time, pid, type, before, after, pause);
    }

    private long anchorMs() {
        long lastGcMs = 0;
        for (String l : lines) {
            Matcher m = GC.matcher(l);
            if (m.find()) {
                lastGcMs = Long.parseLong(m.group(2));
                continue;
            }
            Matcher iso = ISO.matcher(l);
            if (iso.find()) {
                return Instant.parse(iso.group(1)).toEpochMilli() - lastGcMs;
            }
        }
        throw new IllegalStateException("no ISO timestamp in " + log);
    }

    private static final Pattern NUM = Pattern.compile("\"(\\w+)\":(-?[\\d.]+(?:[eE][-+]?\\d+)?)");

    /** time, elu, delayMinMs, delayMeanMs, delayP50Ms, delayP99Ms, delayMaxMs from the app's pino-style event-loop lines. */
    public Table eventLoop() {
        InstantColumn time = InstantColumn.create("time");
        String[] keys = {"elu", "delayMinMs", "delayMeanMs", "delayP50Ms", "delayP99Ms", "delayMaxMs"};
        DoubleColumn[] cols = new DoubleColumn[keys.length];
        for (int k = 0; k < keys.length; k++) {
            cols[k] = DoubleColumn.create(keys[k]);
        }
        for (String l : lines) {
            if (l.startsWith("{") && l.contains("\"msg\":\"eventloop\"")) {
                Matcher m = NUM.matcher(l);
                double[] v = new double[keys.length];
                long t = 0;
                while (m.find()) {
                    if (m.group(1).equals("time")) {
                        t = Long.parseLong(m.group(2));
                    }
                    for (int k = 0; k < keys.length; k++) {
                        if (keys[k].equals(m.group(1))) {
                            v[k] = Double.parseDouble(m.group(2));
                        }
                    }
                }
                time.append(Instant.ofEpochMilli(t));
                for (int k = 0; k < keys.length; k++) {
                    cols[k].append(v[k]);
                }
            }
        }
        Table t = Table.create("eventLoop", time);
        t.addColumns(cols);
        return t;
    }

    private static final Pattern SPAN = Pattern.compile("\"startTimeUnixNano\":\"(\\d+)\",\"endTimeUnixNano\":\"(\\d+)\"");

    /** start, end, durationMs of the app's OTLP "event-loop-blocked" spans. */
    public Table blocked() {
        InstantColumn start = InstantColumn.create("start"), end = InstantColumn.create("end");
        DoubleColumn dur = DoubleColumn.create("durationMs");
        try {
            Matcher m = SPAN.matcher(Files.readString(spans));
            while (m.find()) {
                long s = Long.parseLong(m.group(1)), e = Long.parseLong(m.group(2));
                start.append(Instant.ofEpochSecond(0, s));
                end.append(Instant.ofEpochSecond(0, e));
                dur.append((e - s) / 1e6);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Table.create("blocked", start, end, dur);
    }
}
