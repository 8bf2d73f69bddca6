package dev.leakscope.logs;

import dev.leakscope.LogFormatException;
import dev.leakscope.Progress;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads log files (plain or compressed) into {@link LogData} and builds the tables {@code Logs} answers with. */
public final class LogReader {

    private final LogData d = new LogData();
    private final List<LogFormatException> unrecognised = new ArrayList<>();

    private LogReader() {
    }

    /** Reads every file; throws {@link LogFormatException} for a missing, binary or unrecognised file. */
    public static LogReader read(List<Path> paths) {
        LogReader r = new LogReader();
        long total = 0;
        for (Path p : paths) {
            try {
                total += Files.size(p);
            } catch (IOException e) {
                throw new LogFormatException(p, -1, e instanceof NoSuchFileException ? "no such file" : e.toString(), e);
            }
        }
        try (Progress progress = Progress.start("reading logs", total)) {
            for (Path p : paths) {
                r.readOne(p, progress);
            }
        }
        // a file with nothing recognisable is an error when it is all there is; next to files that have
        // something (an app's stdout that crashed before its first sample, say) it is a warning
        long recognised = 0;
        for (long[] k : r.d.kindsPerFile) {
            recognised += r.d.recognised(k);
        }
        if (!r.unrecognised.isEmpty()) {
            if (recognised == 0) {
                throw r.unrecognised.get(0);
            }
            for (LogFormatException e : r.unrecognised) {
                r.d.warn(r.d.files.indexOf(e.path().toString()), 0, 0, e.getMessage().substring(e.getMessage().indexOf(": ") + 2), "");
            }
        }
        return r;
    }

    private void readOne(Path path, Progress progress) {
        int file = d.files.size();
        d.files.add(path.toString());
        d.kinds = new long[11];
        d.kindsPerFile.add(d.kinds);
        byte[] head;
        try (InputStream in = open(path)) {
            head = in.readNBytes(64 * 1024);
            if (head.length == 0 && in instanceof Decompressed z && z.damage() != null) {
                throw new LogFormatException(path, -1, "nothing can be read: " + z.damage());
            }
        } catch (IOException e) {
            throw new LogFormatException(path, -1, cannotRead(e), e);
        }
        if (head.length == 0) {
            d.kinds[LogData.KIND_EMPTY] = 1; // an empty stderr is normal: listed in formats(), not a warning
            return;
        }
        for (int i = 0; i < head.length; i++) {
            if (head[i] == 0) {
                throw new LogFormatException(path, i, "not a text log: binary data (a NUL byte) at 0x" + Long.toHexString(i)
                        + "; first bytes " + hex(head, Math.max(0, i - 8), 16));
            }
        }
        String other = otherArtifact(head);
        if (other != null) {
            throw new LogFormatException(path, 0, "not a log: " + other);
        }
        try {
            long size = Files.size(path);
            int threads = Math.min(Runtime.getRuntime().availableProcessors(), (int) Math.min(64, size / CHUNK));
            if (threads >= 2 && !compressed(path)) {
                readChunks(path, file, size, threads, progress);
            } else {
                LogScanner scanner = new LogScanner(d, file);
                scanner.syslogYearReference = Files.getLastModifiedTime(path).toMillis();
                try (InputStream in = open(path)) {
                    scanner.scan(in, n -> {
                        progress.step(n);
                        progress.checkCancelled();
                    });
                    if (in instanceof Decompressed z && z.damage() != null) {
                        d.warn(file, scanner.lines(), -1, z.damage(), "");
                    }
                }
            }
        } catch (IOException e) {
            throw new LogFormatException(path, -1, cannotRead(e), e);
        }
        if (d.recognised(d.kinds) == 0) {
            unrecognised.add(new LogFormatException(path, 0, "unknown log format: no process.memoryUsage() samples, "
                    + "--trace-gc lines, event-loop or error lines found. First lines:\n" + firstLines(head, 5)));
        }
    }

    /**
     * What a file that is not a log is, by its first bytes, for the error — a V8 heap snapshot's strings hold
     * error codes and "rss:"-like text that would otherwise be counted as log lines — or null.
     */
    static String otherArtifact(byte[] head) {
        String s = new String(head, 0, Math.min(head.length, 256), StandardCharsets.UTF_8).stripLeading();
        if (s.matches("(?s)\\{\\s*\"snapshot\"\\s*:\\s*\\{\\s*\"meta\".*")) {
            return "a V8 heap snapshot (it starts {\"snapshot\":{\"meta\"…); open it with Heap.open(…) or `leakscope heap`";
        }
        return null;
    }

    /** Files of at least two chunks are read by several threads, one chunk each. */
    static final long CHUNK = 32L << 20;

    /** Compressed or UTF-16: read as one stream, not in chunks of the file's bytes. */
    private static boolean compressed(Path path) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            CompressorStreamFactory.detect(in);
            return true;
        } catch (CompressorException notCompressed) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
                return utf16Charset(in) != null;
            }
        }
    }

    /**
     * Splits a plain file at record boundaries (after a line that ends a record: a lone "}", a JSON line, a trace-gc
     * line) and scans the chunks in parallel, each into its own {@link LogData}; appends them in order.
     */
    private void readChunks(Path path, int file, long size, int n, Progress progress) throws IOException {
        long[] starts = new long[n + 1];
        starts[n] = size;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path)) {
            for (int k = 1; k < n; k++) {
                starts[k] = Math.max(starts[k - 1], boundary(ch, size * k / n, size));
            }
        }
        LogData[] parts = new LogData[n];
        long[] lines = new long[n];
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "leakscope-log-chunk");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                final int c = k;
                fs.add(pool.submit(() -> {
                    LogData part = new LogData();
                    LogScanner sc = new LogScanner(part, 0);
                    sc.syslogYearReference = Files.getLastModifiedTime(path).toMillis();
                    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path)) {
                        ch.position(starts[c]);
                        InputStream in = new BufferedInputStream(java.nio.channels.Channels.newInputStream(ch), 1 << 16);
                        sc.scan(new LimitedInput(in, starts[c + 1] - starts[c]), b -> {
                            progress.step(b);
                            progress.checkCancelled();
                        });
                    }
                    parts[c] = part;
                    lines[c] = sc.lines();
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.util.concurrent.CancellationException("reading " + path + " interrupted");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long lineBase = 0;
        for (int k = 0; k < n; k++) {
            d.append(parts[k], file, lineBase, starts[k]);
            lineBase += lines[k];
        }
    }

    /** The start of the first line after {@code from} that follows a complete record, or after the next newline. */
    private static long boundary(java.nio.channels.FileChannel ch, long from, long size) throws IOException {
        int len = (int) Math.min(1 << 20, size - from);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(len);
        ch.read(bb, from);
        byte[] b = bb.array();
        int firstNl = -1;
        for (int i = 0; i < len; i++) {
            if (b[i] == '\n') {
                firstNl = i;
                break;
            }
        }
        if (firstNl < 0) {
            return size; // one huge line: no split
        }
        int ls = firstNl + 1;
        while (ls < len) {
            int nl = -1;
            for (int i = ls; i < len; i++) {
                if (b[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl < 0) {
                break;
            }
            int e = nl > ls && b[nl - 1] == '\r' ? nl - 1 : nl;
            boolean ends = (e - ls == 1 && b[ls] == '}') || (e - ls > 2 && b[ls] == '{' && b[ls + 1] == '"')
                    || (e - ls > 2 && b[ls] == '[' && b[ls + 1] >= '0' && b[ls + 1] <= '9');
            if (ends && nl + 1 < len && b[nl + 1] != ' ' && b[nl + 1] != '\t') {
                return from + nl + 1;
            }
            ls = nl + 1;
        }
        return from + firstNl + 1;
    }

    /** At most {@code limit} bytes of a stream. */
    private static final class LimitedInput extends InputStream {
        private final InputStream in;
        private long left;

        LimitedInput(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = in.read();
            if (c >= 0) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int r = in.read(b, off, (int) Math.min(len, left));
            if (r > 0) {
                left -= r;
            }
            return r;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static String hex(byte[] b, int from, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < Math.min(b.length, from + n); i++) {
            sb.append(String.format("%02x ", b[i] & 0xff));
        }
        return sb.toString().trim();
    }

    static String firstLines(byte[] head, int n) {
        String s = new String(head, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        int lines = 0;
        for (String l : s.split("\r?\n", n + 1)) {
            if (lines++ == n) {
                break;
            }
            sb.append("  ").append(l.length() > 160 ? l.substring(0, 160) + "…" : l).append('\n');
        }
        return sb.toString();
    }

    /**
     * The file as a stream, decompressed when it starts with a gzip, xz, zstd, bzip2 or lz4 magic number. A compressed
     * file that is cut short or damaged reads up to the damage and then ends: {@link Decompressed#damage()} says what
     * was lost. A file with a compression's magic number whose header does not decompress is an IOException.
     */
    public static InputStream open(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        String kind;
        try {
            kind = CompressorStreamFactory.detect(in);
        } catch (CompressorException notCompressed) {
            return utf16(in);
        }
        try {
            // gzip through the JDK: its read() returns what it inflated before the input ran out, where commons-compress
            // throws it away, so a cut .gz keeps everything up to the cut
            return new Decompressed(kind, kind.equals(CompressorStreamFactory.GZIP) ? new java.util.zip.GZIPInputStream(in, 1 << 16)
                    : CompressorStreamFactory.getSingleton().createCompressorInputStream(kind, in, true));
        } catch (IOException e) { // CompressorException too
            in.close();
            Throwable why = e instanceof CompressorException && e.getCause() != null ? e.getCause() : e;
            throw new IOException("starts with the " + kind + " magic number but its header does not decompress ("
                    + (why.getMessage() != null ? why.getMessage() : why.getClass().getSimpleName()) + ")", e);
        }
    }

    /**
     * A file that starts with a UTF-16 byte-order mark (what PowerShell's {@code >} and Notepad write) as UTF-8; any
     * other stream as it is. {@code in} supports mark/reset.
     */
    private static InputStream utf16(InputStream in) throws IOException {
        java.nio.charset.Charset cs = utf16Charset(in);
        if (cs == null) {
            return in;
        }
        in.skipNBytes(2);
        return org.apache.commons.io.input.ReaderInputStream.builder()
                .setReader(new java.io.InputStreamReader(in, cs)).setCharset(StandardCharsets.UTF_8).setBufferSize(1 << 16).get();
    }

    /** UTF_16LE or UTF_16BE when {@code in} starts with that byte-order mark, else null; {@code in} is left where it was. */
    private static java.nio.charset.Charset utf16Charset(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        return b0 == 0xff && b1 == 0xfe ? StandardCharsets.UTF_16LE : b0 == 0xfe && b1 == 0xff ? StandardCharsets.UTF_16BE : null;
    }

    /** A decompressing stream that ends, instead of failing, where the compressed data is cut short or damaged. */
    public static final class Decompressed extends java.io.FilterInputStream {
        private final String kind;
        private long produced;
        private String damage;

        Decompressed(String kind, InputStream decompressor) {
            // no BufferedInputStream here: its read() asks again while available() > 0 and loses what the first call
            // returned when the second throws at the cut (readers read in big blocks anyway)
            super(decompressor);
            this.kind = kind;
        }

        /**
         * What was lost, or null when the stream was read to its end: "the gz stream ends early (the file is cut
         * short) after 0x… decompressed bytes; the rest is missing".
         */
        public String damage() {
            return damage;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (damage != null) {
                return -1;
            }
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    produced += n;
                }
                return n;
            } catch (java.io.EOFException | java.io.UncheckedIOException e) {
                return damaged("ends early (the file is cut short)");
            } catch (IOException e) {
                // zstd says a cut frame is a "Truncated source" IOException
                return e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("truncated")
                        ? damaged("ends early (the file is cut short)")
                        : damaged("is damaged (" + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + ")");
            }
        }

        private int damaged(String what) {
            damage = "the " + kind + " stream " + what + " after 0x" + Long.toHexString(produced)
                    + " decompressed bytes; the rest of the file is missing";
            return -1;
        }
    }

    /** "cannot read: permission denied" rather than the bare path an {@link java.nio.file.AccessDeniedException} carries. */
    public static String cannotRead(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "cannot read: permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return "cannot read: " + f.getReason();
        }
        return "cannot read: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    }

    // ------------------------------------------------------------------ tables

    private StringColumn fileColumn(IntArrayList f, int n, int[] order) {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
            v[i] = d.files.get(f.getInt(order == null ? i : order[i]));
        }
        return StringColumn.create("file", v);
    }

    /** Appends epoch ms {@code ms} to {@code c}, or a missing value for {@link Timestamps#NONE}. */
    private static void appendTime(InstantColumn c, long ms) {
        if (ms == Timestamps.NONE) {
            c.appendMissing();
        } else {
            c.append(Instant.ofEpochMilli(ms));
        }
    }

    /** Memory samples: file, line, time, elapsedS, timeEstimated, rss, heapTotal, heapUsed, external, arrayBuffers. */
    public Table memory() {
        int n = d.memLine.size();
        long[] time = d.memTime.toLongArray();
        boolean[] estimated = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (time[i] == Timestamps.NONE) {
                time[i] = interpolate(d.memFile.getInt(i), d.memLine.getLong(i));
                estimated[i] = time[i] != Timestamps.NONE;
            }
        }
        int[] order = null;
        if (d.files.size() > 1) {
            order = sortByTimeIfComplete(time, n);
        }
        Table t = Table.create("memory");
        t.addColumns(fileColumn(d.memFile, n, order));
        LongColumn line = LongColumn.create("line", n);
        InstantColumn tc = InstantColumn.create("time");
        DoubleColumn elapsed = DoubleColumn.create("elapsedS", n);
        BooleanColumn est = BooleanColumn.create("timeEstimated");
        long first = Timestamps.NONE;
        for (int k = 0; k < n; k++) {
            int i = order == null ? k : order[k];
            if (time[i] != Timestamps.NONE && (first == Timestamps.NONE || time[i] < first)) {
                first = time[i];
            }
        }
        for (int k = 0; k < n; k++) {
            int i = order == null ? k : order[k];
            line.set(k, d.memLine.getLong(i));
            if (time[i] == Timestamps.NONE) {
                tc.appendMissing();
                elapsed.setMissing(k);
            } else {
                tc.append(Instant.ofEpochMilli(time[i]));
                elapsed.set(k, (time[i] - first) / 1000.0);
            }
            est.append(estimated[i]);
        }
        t.addColumns(line, tc, elapsed, est);
        for (int f = 0; f < 5; f++) {
            LongColumn c = LongColumn.create(LogScanner.FIELDS[f], n);
            LongArrayList a = d.mem[f];
            for (int k = 0; k < n; k++) {
                c.set(k, a.getLong(order == null ? k : order[k]));
            }
            t.addColumns(c);
        }
        return t;
    }

    private int[] sortByTimeIfComplete(long[] time, int n) {
        for (int i = 0; i < n; i++) {
            if (time[i] == Timestamps.NONE) {
                return null;
            }
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(time[a], time[b]));
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = idx[i];
        }
        return o;
    }

    /** The time of the last timestamped line of the file before {@code line}, or NONE. */
    private long before(int file, long line) {
        long best = Timestamps.NONE;
        for (int i = 0; i < d.timelineLine.size(); i++) {
            if (d.timelineFile.getInt(i) == file && d.timelineLine.getLong(i) <= line) {
                best = d.timelineMs.getLong(i);
            }
        }
        return best;
    }

    /** Wall time of a line without its own, interpolated between the nearest timestamped lines of its file. */
    private long interpolate(int file, long line) {
        int lo = 0, hi = d.timelineLine.size() - 1;
        int before = -1, after = -1;
        // the timeline is in file order, then line order
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int f = d.timelineFile.getInt(mid);
            long l = d.timelineLine.getLong(mid);
            if (f < file || (f == file && l <= line)) {
                before = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (before >= 0 && d.timelineFile.getInt(before) != file) {
            before = -1;
        }
        after = before + 1;
        if (before < 0) {
            after = lo;
        }
        if (after >= d.timelineLine.size() || d.timelineFile.getInt(after) != file) {
            after = -1;
        }
        if (before < 0 || after < 0) {
            return Timestamps.NONE;
        }
        long l0 = d.timelineLine.getLong(before), l1 = d.timelineLine.getLong(after);
        long t0 = d.timelineMs.getLong(before), t1 = d.timelineMs.getLong(after);
        if (l1 == l0) {
            return t0;
        }
        return t0 + Math.round((t1 - t0) * (double) (line - l0) / (l1 - l0));
    }

    /** GC events: file, line, pid, isolate, uptimeMs, time, type, full, reduce, heapBefore, committedBefore, heapAfter,
     *  committedAfter (bytes), pauseMs, externalMs, incrementalMs, muAverage, muCurrent, reason, collectorReason. */
    public Table gc() {
        int n = d.gcLine.size();
        Map<Long, Long> anchor = new HashMap<>();
        for (int i = 0; i < n; i++) {
            long w = d.gcWall.getLong(i);
            if (w != Timestamps.NONE) {
                anchor.merge(d.gcPid.getLong(i), w, Math::max);
            }
        }
        boolean dedupe = false;
        for (int i = 1; i < n; i++) {
            if (d.gcFile.getInt(i) != d.gcFile.getInt(0)) {
                dedupe = true;
                break;
            }
        }
        int[] keep = new int[n];
        int m = 0;
        Set<String> seen = dedupe ? new HashSet<>() : null;
        for (int i = 0; i < n; i++) {
            if (dedupe) {
                String key = d.gcPid.getLong(i) + ":" + d.gcIsolate.getLong(i) + ":" + d.gcUptime.getDouble(i) + ":" + d.gcType.getInt(i) + ":" + d.gcAfter.getDouble(i);
                if (!seen.add(key)) {
                    continue;
                }
            }
            keep[m++] = i;
        }
        Table t = Table.create("gc");
        t.addColumns(fileColumn(d.gcFile, m, keep));
        LongColumn line = LongColumn.create("line", m);
        IntColumn pid = IntColumn.create("pid", m);
        String[] isolate = new String[m];
        DoubleColumn uptime = DoubleColumn.create("uptimeMs", m);
        InstantColumn time = InstantColumn.create("time");
        String[] type = new String[m];
        BooleanColumn full = BooleanColumn.create("full");
        BooleanColumn reduce = BooleanColumn.create("reduce");
        LongColumn before = LongColumn.create("heapBefore", m), cBefore = LongColumn.create("committedBefore", m);
        LongColumn after = LongColumn.create("heapAfter", m), cAfter = LongColumn.create("committedAfter", m);
        DoubleColumn pause = DoubleColumn.create("pauseMs", m), ext = DoubleColumn.create("externalMs", m);
        DoubleColumn incr = DoubleColumn.create("incrementalMs", m);
        DoubleColumn muAvg = DoubleColumn.create("muAverage", m), muCur = DoubleColumn.create("muCurrent", m);
        String[] reason = new String[m], creason = new String[m];
        for (int k = 0; k < m; k++) {
            int i = keep[k];
            line.set(k, d.gcLine.getLong(i));
            pid.set(k, (int) d.gcPid.getLong(i));
            isolate[k] = "0x" + Long.toHexString(d.gcIsolate.getLong(i));
            uptime.set(k, d.gcUptime.getDouble(i));
            Long a = anchor.get(d.gcPid.getLong(i));
            if (a == null) {
                time.appendMissing();
            } else {
                time.append(Instant.ofEpochMilli(a + Math.round(d.gcUptime.getDouble(i))));
            }
            type[k] = d.strings.get(d.gcType.getInt(i));
            full.append(d.gcFull.getInt(i) != 0);
            reduce.append(d.gcReduce.getInt(i) != 0);
            before.set(k, mb(d.gcBefore.getDouble(i)));
            cBefore.set(k, mb(d.gcCommittedBefore.getDouble(i)));
            after.set(k, mb(d.gcAfter.getDouble(i)));
            cAfter.set(k, mb(d.gcCommittedAfter.getDouble(i)));
            pause.set(k, d.gcPause.getDouble(i));
            ext.set(k, d.gcExternal.getDouble(i));
            incr.set(k, d.gcIncremental.getDouble(i));
            muAvg.set(k, d.gcMuAvg.getDouble(i));
            muCur.set(k, d.gcMuCur.getDouble(i));
            reason[k] = d.strings.get(d.gcReason.getInt(i));
            creason[k] = d.strings.get(d.gcCollectorReason.getInt(i));
        }
        t.addColumns(line, pid, StringColumn.create("isolate", isolate), uptime, time, StringColumn.create("type", type),
                full, reduce, before, cBefore, after, cAfter, pause, ext, incr, muAvg, muCur,
                StringColumn.create("reason", reason), StringColumn.create("collectorReason", creason));
        return t;
    }

    private static long mb(double v) {
        return v != v ? Long.MIN_VALUE : Math.round(v * 1024 * 1024);
    }

    /** Error lines: file, line, time, timeEstimated, code, message. */
    public Table errors() {
        int n = d.errLine.size();
        Table t = Table.create("errors");
        t.addColumns(fileColumn(d.errFile, n, null));
        LongColumn line = LongColumn.create("line", n);
        InstantColumn time = InstantColumn.create("time");
        BooleanColumn est = BooleanColumn.create("timeEstimated");
        for (int i = 0; i < n; i++) {
            line.set(i, d.errLine.getLong(i));
            long ms = d.errTime.getLong(i);
            boolean estimated = false;
            if (ms == Timestamps.NONE) {
                ms = interpolate(d.errFile.getInt(i), d.errLine.getLong(i));
                if (ms == Timestamps.NONE) {
                    ms = before(d.errFile.getInt(i), d.errLine.getLong(i)); // e.g. a crash after the last timestamped line
                }
                estimated = ms != Timestamps.NONE;
            }
            appendTime(time, ms);
            est.append(estimated);
        }
        t.addColumns(line, time, est, StringColumn.create("code", d.errCode), StringColumn.create("message", d.errMessage));
        return t;
    }

    /** Event-loop samples: file, line, time, elu, delayMinMs, delayMeanMs, delayP50Ms, delayP90Ms, delayP99Ms, delayMaxMs. */
    public Table eventLoop() {
        int n = d.loopLine.size();
        Table t = Table.create("eventLoop");
        t.addColumns(fileColumn(d.loopFile, n, null));
        LongColumn line = LongColumn.create("line", n);
        InstantColumn time = InstantColumn.create("time");
        for (int i = 0; i < n; i++) {
            line.set(i, d.loopLine.getLong(i));
            appendTime(time, d.loopTime.getLong(i));
        }
        t.addColumns(line, time, DoubleColumn.create("elu", d.loopElu.toDoubleArray()));
        String[] names = {"delayMinMs", "delayMeanMs", "delayP50Ms", "delayP90Ms", "delayP99Ms", "delayMaxMs"};
        for (int k = 0; k < LogData.DELAY_STATS; k++) {
            t.addColumns(DoubleColumn.create(names[k], d.loopDelay[k].toDoubleArray()));
        }
        return t;
    }

    /** Lines that could not be read as what they looked like: file, line, offset, message, text. */
    public Table warnings() {
        int n = d.warnLine.size();
        Table t = Table.create("warnings");
        t.addColumns(fileColumn(d.warnFile, n, null), LongColumn.create("line", d.warnLine.toLongArray()),
                LongColumn.create("offset", d.warnOffset.toLongArray()), StringColumn.create("message", d.warnMessage),
                StringColumn.create("text", d.warnText));
        if (d.warningsDropped > 0) {
            t.column("file").appendCell(d.files.get(0));
            ((LongColumn) t.column("line")).appendMissing();
            ((LongColumn) t.column("offset")).appendMissing();
            t.stringColumn("message").append(d.warningsDropped + " more warnings not listed");
            t.stringColumn("text").append("");
        }
        return t;
    }

    /** What each file held: file, format, lines. */
    public Table formats() {
        List<String> file = new ArrayList<>(), format = new ArrayList<>();
        List<Long> count = new ArrayList<>();
        for (int f = 0; f < d.files.size(); f++) {
            long[] k = d.kindsPerFile.get(f);
            for (int i = 1; i < k.length; i++) {
                if (k[i] > 0) {
                    file.add(d.files.get(f));
                    format.add(LogData.KIND_NAMES[i]);
                    count.add(k[i]);
                }
            }
        }
        Table t = Table.create("formats");
        LongColumn c = LongColumn.create("records");
        count.forEach(c::append);
        t.addColumns(StringColumn.create("file", file), StringColumn.create("format", format), c);
        return t;
    }

    /** The heap size limit a log line reported ({@code heap_size_limit}), or 0. */
    public long heapLimit() {
        return d.heapLimit;
    }

    /** The files read, in order. */
    public List<String> files() {
        return List.copyOf(d.files);
    }
}
