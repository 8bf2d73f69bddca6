package dev.leakscope;

import dev.leakscope.logs.LogReader;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * A service's logs as tables. The format is sniffed line by line, so several may interleave in one file
 * ({@code --trace-gc} shares stdout with the app): {@code console.log(process.memoryUsage())} blocks (with or
 * without an ISO timestamp, one-line, coloured, CRLF, numeric separators), JSON lines (pino, bunyan, winston,
 * {@code JSON.stringify}), {@code --trace-gc} and {@code --trace-gc-nvp} lines including the OOM tail, event-loop
 * lines (ELU, delay percentiles) and error lines. Compressed files (.gz .xz .zst .bz2 .lz4) are read as they are.
 * <pre>{@code
 * Logs logs = Logs.open("benchmark.log");
 * logs.memory()     // file, line, time, elapsedS, timeEstimated, rss, heapTotal, heapUsed, external, arrayBuffers
 * logs.gc()         // pid, uptimeMs, time, type, full, heapBefore, heapAfter, pauseMs, reason …
 * Leak.verdict(logs)
 * }</pre>
 * Reading happens once, in {@code open}; every query returns a new table, so re-running a cell is safe.
 */
public final class Logs {

    private final List<Path> paths;
    private final LogReader reader;

    private Logs(List<Path> paths, LogReader reader) {
        this.paths = paths;
        this.reader = reader;
    }

    /** Reads the files (in order: e.g. the app's stdout, then its stderr). */
    public static Logs open(Path first, Path... more) {
        List<Path> all = new ArrayList<>();
        all.add(first);
        all.addAll(Arrays.asList(more));
        return open(all);
    }

    /** Reads the files (in order). */
    public static Logs open(String first, String... more) {
        List<Path> all = new ArrayList<>();
        all.add(Path.of(first));
        for (String m : more) {
            all.add(Path.of(m));
        }
        return open(all);
    }

    /** Reads the files (in order). Throws {@link LogFormatException} for a missing, binary or unrecognised file. */
    public static Logs open(List<Path> paths) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no log files given");
        }
        List<Path> copy = List.copyOf(paths);
        return new Logs(copy, LogReader.read(copy));
    }

    /** {@code process.memoryUsage()} samples in bytes: file, line, time, elapsedS, timeEstimated, rss, heapTotal,
     *  heapUsed, external, arrayBuffers. Samples without a time of their own get one interpolated from the nearest
     *  timestamped lines of the file ({@code timeEstimated}); otherwise time is missing. Rows are in file order, or
     *  sorted by time when several files are read and every sample has a time (its own or estimated). */
    public Table memory() {
        return reader.memory();
    }

    /** {@code --trace-gc} events: file, line, pid, isolate, uptimeMs, time (estimated from the log's wall-clock
     *  lines when it has any), type, full (Mark-Compact), reduce, heapBefore, committedBefore, heapAfter,
     *  committedAfter (bytes), pauseMs, externalMs, incrementalMs, muAverage, muCurrent, reason, collectorReason.
     *  When the events come from several files, those with the same pid, isolate, uptime, type and heapAfter are
     *  kept once. */
    public Table gc() {
        return reader.gc();
    }

    /** Error lines: file, line, time, timeEstimated (from the nearest timestamped lines), code (EMFILE, ENOMEM,
     *  ECONNRESET, ERR_…, FATAL; empty if none), message. */
    public Table errors() {
        return reader.errors();
    }

    /** Event-loop samples from JSON lines: file, line, time, elu (0..1), delayMinMs, delayMeanMs, delayP50Ms,
     *  delayP90Ms, delayP99Ms, delayMaxMs. */
    public Table eventLoop() {
        return reader.eventLoop();
    }

    /** Malformed or truncated records that were skipped or read partly: file, line, offset, message, text. */
    public Table warnings() {
        return reader.warnings();
    }

    /** What was recognised in each file: file, format, records. */
    public Table formats() {
        return reader.formats();
    }

    /** The V8 heap size limit when a log line reported it ({@code heap_size_limit}), else empty. */
    public OptionalLong heapLimit() {
        long l = reader.heapLimit();
        return l > 0 ? OptionalLong.of(l) : OptionalLong.empty();
    }

    /** The files read. */
    public List<Path> paths() {
        return paths;
    }

    @Override
    public String toString() {
        return "Logs" + paths + "\n" + formats().printAll();
    }
}
