package dev.leakscope.plot;

import dev.leakscope.Logs;
import dev.leakscope.Metrics;
import dev.leakscope.logs.RealRuns;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The logs tests plot: the shared 60 s run of the example app (leak mode, node --trace-gc, a 150 ms block every
 * 7 s, OTLP spans) read through the real {@link Logs} and {@link Metrics} API, plus the raw lines, so tests can
 * cross-check a figure against the log text itself rather than against our own reader.
 */
public final class RealLogs {

    public final Path dir;
    public final Path log;
    public final Path spans;
    public final List<String> lines;
    private final Logs logs;

    private RealLogs(Path dir) {
        this.dir = dir;
        this.log = dir.resolve("app.log");
        this.spans = dir.resolve("spans.json");
        try {
            this.lines = Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.logs = Logs.open(log, dir.resolve("app.err"));
    }

    public static RealLogs leak() {
        return new RealLogs(RealRuns.run("leak", true));
    }

    public static RealLogs healthy() {
        return new RealLogs(RealRuns.run("healthy", true));
    }

    /**
     * A trace-gc line as node prints it: pid, ms since start, type, before (committed) -> after (committed) MB, pause.
     * Node 22's V8 adds "(interleaved)" after the type and "pooled: N MB, " before the pause: the node on PATH is not
     * always Debian's node 20.
     */
    public static final Pattern GC = Pattern.compile("^\\[(\\d+):0x[0-9a-f]+\\]\\s+(\\d+) ms: "
            + "((?:Minor )?[A-Za-z-]+(?: \\((?:reduce|interleaved)\\))*) "
            + "([\\d.]+) \\(([\\d.]+)\\) -> ([\\d.]+) \\(([\\d.]+)\\) MB, (?:pooled: [\\d.]+ MB, )?([\\d.]+) / ([\\d.]+) ms");

    public Logs logs() {
        return logs;
    }

    public Table memory() {
        return logs.memory();
    }

    public Table gc() {
        return logs.gc();
    }

    public Table eventLoop() {
        return logs.eventLoop();
    }

    public Table blocked() {
        return Metrics.open(spans).blockedSpans();
    }
}
