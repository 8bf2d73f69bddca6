package dev.leakscope.core;

import dev.leakscope.Progress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds printable strings in file byte ranges the way GNU {@code strings -a} does, in parallel over chunks of
 * the mapped file (a string crossing a chunk edge is found once, by the chunk it starts in).
 * <ul>
 * <li>{@link Encoding#ASCII}: runs of ≥ n bytes that are {@code \t} or 0x20..0x7e ({@code strings -a -n N}).</li>
 * <li>{@link Encoding#UTF16LE}: runs of ≥ n 16-bit little-endian units whose high byte is 0 and low byte is as
 * above, at any alignment ({@code strings -a -el}).</li>
 * <li>{@link Encoding#UNICODE}: runs of ≥ n printable UTF-16LE code units at even offsets (letters of any script:
 * Cyrillic, CJK… as V8 stores two-byte strings), whose letters come from one script plus Latin (Han, Hiragana and
 * Katakana count as one) — random bytes rarely pass that.</li>
 * </ul>
 * With a regex, only strings in which it finds a match are kept; for ASCII a literal prefilter finds candidate
 * bytes first ({@link LiteralPrefilter}), so the regex runs on few strings.
 */
public final class StringScanner {

    /** How text is encoded in memory. */
    public enum Encoding {
        ASCII("ascii"), UTF16LE("utf16le"), UNICODE("unicode");

        private final String label;

        Encoding(String label) {
            this.label = label;
        }

        /** The label used in tables: {@code ascii}, {@code utf16le}, {@code unicode}. */
        public String label() {
            return label;
        }
    }

    /** Found strings in file order: file offsets, lengths in bytes and (when a regex was applied or asked) texts. */
    public static final class Hits {
        public final Encoding encoding;
        public final long[] offsets;
        public final int[] byteLengths;
        /** Decoded texts, or null when not decoded during the scan. */
        public final String[] texts;
        public final long count;

        Hits(Encoding encoding, long[] offsets, int[] byteLengths, String[] texts, long count) {
            this.encoding = encoding;
            this.offsets = offsets;
            this.byteLengths = byteLengths;
            this.texts = texts;
            this.count = count;
        }
    }

    /** Hits made from arrays (file order). */
    public static Hits hits(Encoding e, long[] offsets, int[] byteLengths, String[] texts) {
        return new Hits(e, offsets, byteLengths, texts, offsets.length);
    }

    /** What to scan for. */
    public record Query(Encoding encoding, int minLength, Pattern grep, boolean countOnly, boolean decode) {
    }

    static final int CHUNK = 1 << 20;
    static final int EXT = 16 << 10;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long L7F = 0x7f7f7f7f7f7f7f7fL;
    private static final long H80 = 0x8080808080808080L;
    private static final boolean[] PRINT = new boolean[256];
    private static final boolean[] UPRINT = new boolean[65536];
    private static volatile ExecutorService pool;

    static {
        PRINT['\t'] = true;
        for (int c = 0x20; c <= 0x7e; c++) {
            PRINT[c] = true;
        }
        for (int c = 0; c < 65536; c++) {
            int t = Character.getType(c);
            UPRINT[c] = c == '\t' || (c >= 0x20 && !(c >= 0x7f && c < 0xa0) && t != Character.UNASSIGNED
                    && t != Character.CONTROL && t != Character.SURROGATE && t != Character.PRIVATE_USE
                    && t != Character.FORMAT && c != 0xfffd && c != 0xfeff && textBlock(c));
        }
    }

    /** Code points of the blocks people write text in (alphabets, CJK, their punctuation); not symbols or rare scripts. */
    private static boolean textBlock(int c) {
        return c < 0x0180                        // ASCII, Latin-1, Latin Extended-A
                || (c >= 0x0370 && c < 0x0530)   // Greek, Cyrillic, Armenian
                || (c >= 0x0590 && c < 0x0700)   // Hebrew, Arabic
                || (c >= 0x0900 && c < 0x0E80)   // Indic scripts, Thai, Lao
                || (c >= 0x10A0 && c < 0x1100)   // Georgian
                || (c >= 0x2010 && c < 0x2070)   // General Punctuation
                || (c >= 0x20A0 && c < 0x20C0)   // currency signs
                || (c >= 0x3000 && c < 0x3100)   // CJK punctuation, Hiragana, Katakana
                || (c >= 0x4E00 && c < 0xA000)   // CJK Unified Ideographs
                || (c >= 0xAC00 && c < 0xD7A4)   // Hangul syllables
                || (c >= 0xFF01 && c < 0xFF5F);  // full-width ASCII forms
    }

    private final FileWindows file;
    private final int threads;
    private final int chunkSize;
    private final int ext;

    /** A scanner over {@code file} using every CPU. */
    public StringScanner(FileWindows file) {
        this(file, Runtime.getRuntime().availableProcessors(), CHUNK, EXT);
    }

    /** A scanner with explicit parallelism and chunking (tests use tiny chunks to exercise chunk edges). */
    public StringScanner(FileWindows file, int threads, int chunkSize, int extension) {
        this.file = file;
        this.threads = Math.max(1, threads);
        this.chunkSize = chunkSize;
        this.ext = Math.max(8, extension);
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (StringScanner.class) {
                p = pool;
                if (p == null) {
                    p = Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r, "leakscope-scan");
                        t.setDaemon(true);
                        return t;
                    });
                    pool = p;
                }
            }
        }
        return p;
    }

    /** Bytes 0x80 in each byte of w that is printable (\t or 0x20..0x7e). */
    static long printableMask(long w) {
        long t = w & L7F;
        long ge20 = (t + 0x6060606060606060L) & H80;
        long eq7f = (t + 0x0101010101010101L) & H80;
        long v = w ^ 0x0909090909090909L;
        long tab = ~(((v & L7F) + L7F) | v | L7F);
        return (ge20 & ~eq7f & ~(w & H80)) | tab;
    }

    private static final class Chunk {
        final long rangeStart;
        final long rangeEnd;
        final long start;
        final long end;

        Chunk(long rangeStart, long rangeEnd, long start, long end) {
            this.rangeStart = rangeStart;
            this.rangeEnd = rangeEnd;
            this.start = start;
            this.end = end;
        }
    }

    /** Per-chunk output, growable primitive arrays. */
    private static final class Out {
        long count;
        long[] off = new long[16];
        int[] len = new int[16];
        String[] text;
        int n;
        final boolean keep;
        final boolean decode;

        Out(boolean keep, boolean decode) {
            this.keep = keep;
            this.decode = decode;
            if (decode) {
                text = new String[16];
            }
        }

        void add(long o, int l, String t) {
            count++;
            if (!keep) {
                return;
            }
            if (n == off.length) {
                off = Arrays.copyOf(off, n * 2);
                len = Arrays.copyOf(len, n * 2);
                if (decode) {
                    text = Arrays.copyOf(text, n * 2);
                }
            }
            off[n] = o;
            len[n] = l;
            if (decode) {
                text[n] = t;
            }
            n++;
        }
    }

    /**
     * The chunks of file ranges, in consecutive batches of about {@code batchBytes}: scanning one batch at a time
     * keeps memory bounded by the batch, not the file. A string belongs to the chunk it starts in, so batches
     * never cut one.
     */
    public static final class Plan {
        private final List<List<Chunk>> batches;

        private Plan(List<List<Chunk>> batches) {
            this.batches = batches;
        }

        /** How many batches. */
        public int size() {
            return batches.size();
        }
    }

    /** Plans a scan of the file ranges {@code [starts[i], ends[i])} (sorted, disjoint) in batches of about {@code batchBytes}. */
    public Plan plan(long[] starts, long[] ends, long batchBytes) {
        long perBatch = Math.max(1, batchBytes / chunkSize);
        List<List<Chunk>> batches = new ArrayList<>();
        List<Chunk> cur = new ArrayList<>();
        for (int r = 0; r < starts.length; r++) {
            for (long s = starts[r]; s < ends[r]; s += chunkSize) {
                cur.add(new Chunk(starts[r], ends[r], s, Math.min(ends[r], s + chunkSize)));
                if (cur.size() >= perBatch) {
                    batches.add(cur);
                    cur = new ArrayList<>();
                }
            }
        }
        if (!cur.isEmpty() || batches.isEmpty()) {
            batches.add(cur);
        }
        return new Plan(batches);
    }

    /**
     * Scans the file ranges {@code [starts[i], ends[i])} (sorted, disjoint; strings never cross a range edge)
     * and returns the strings found, in file order.
     */
    public Hits scan(long[] starts, long[] ends, Query q, Progress progress) {
        return scan(plan(starts, ends, Long.MAX_VALUE), 0, q, progress);
    }

    /** Scans batch {@code batch} of {@code plan} and returns its strings, in file order. */
    public Hits scan(Plan plan, int batch, Query q, Progress progress) {
        List<Chunk> chunks = plan.batches.get(batch);
        LiteralPrefilter pre = q.grep() != null && q.encoding() == Encoding.ASCII ? LiteralPrefilter.of(q.grep()) : null;
        boolean decode = q.decode() || q.grep() != null;
        Out[] outs = new Out[chunks.size()];
        AtomicInteger next = new AtomicInteger();
        int nThreads = Math.min(threads, Math.max(1, chunks.size()));
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < nThreads; t++) {
            fs.add(pool().submit(() -> {
                byte[] buf = new byte[chunkSize + ext + 16];
                int i;
                while ((i = next.getAndIncrement()) < chunks.size()) {
                    if (progress != null) {
                        progress.checkCancelled();
                    }
                    Chunk c = chunks.get(i);
                    Out o = new Out(!q.countOnly(), decode && !q.countOnly());
                    if (q.encoding() == Encoding.ASCII) {
                        if (pre != null) {
                            grepAscii(c, buf, q.minLength(), q.grep(), pre, o);
                        } else {
                            ascii(c, buf, q.minLength(), q.grep(), o);
                        }
                    } else {
                        wide(c, buf, q.minLength(), q.encoding() == Encoding.UNICODE, q.grep(), o);
                    }
                    outs[i] = o;
                    if (progress != null) {
                        progress.step(c.end - c.start);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                for (Future<?> g : fs) {
                    g.cancel(true);
                }
                Thread.currentThread().interrupt();
                throw new CancellationException("string scan interrupted");
            } catch (ExecutionException e) {
                for (Future<?> g : fs) {
                    g.cancel(true);
                }
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw new IllegalStateException(cause);
            }
        }
        long count = 0;
        int n = 0;
        for (Out o : outs) {
            count += o.count;
            n += o.n;
        }
        long[] off = new long[n];
        int[] len = new int[n];
        String[] text = decode && !q.countOnly() ? new String[n] : null;
        int p = 0;
        for (Out o : outs) {
            System.arraycopy(o.off, 0, off, p, o.n);
            System.arraycopy(o.len, 0, len, p, o.n);
            if (text != null) {
                System.arraycopy(o.text, 0, text, p, o.n);
            }
            p += o.n;
        }
        return new Hits(q.encoding(), off, len, text, count);
    }

    /** Reads the chunk plus lookback/extension into buf; returns the absolute offset of buf[0]. */
    private long fill(Chunk c, byte[] buf, int back) {
        long bs = Math.max(c.rangeStart, c.start - back);
        long be = Math.min(c.rangeEnd, c.end + ext);
        int n = file.read(bs, buf, 0, (int) (be - bs));
        Arrays.fill(buf, n, Math.min(buf.length, n + 16), (byte) 0);
        return bs;
    }

    /** End of the ASCII run that continues at absolute offset {@code from} (read from the file). */
    private long asciiRunEnd(long from, long limit) {
        byte[] b = new byte[64 << 10];
        long p = from;
        while (p < limit) {
            int n = file.read(p, b, 0, (int) Math.min(b.length, limit - p));
            if (n <= 0) {
                return p;
            }
            for (int i = 0; i < n; i++) {
                if (!PRINT[b[i] & 0xff]) {
                    return p + i;
                }
            }
            p += n;
        }
        return limit;
    }

    private String asciiText(long off, long len, byte[] buf, long base, int lim) {
        if (off >= base && off + len <= base + lim) {
            return new String(buf, (int) (off - base), (int) len, StandardCharsets.ISO_8859_1);
        }
        return readAscii(off, len);
    }

    private String readAscii(long off, long len) {
        byte[] b = new byte[(int) Math.min(len, Integer.MAX_VALUE - 16)];
        int n = file.read(off, b, 0, b.length);
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    private void emitAscii(long s, long e, int min, Pattern grep, Out o, byte[] buf, long base, int lim) {
        long len = e - s;
        if (len < min) {
            return;
        }
        String text = null;
        if (grep != null || o.decode) {
            text = asciiText(s, len, buf, base, lim);
            if (grep != null && !grep.matcher(text).find()) {
                return;
            }
        }
        o.add(s, (int) Math.min(len, Integer.MAX_VALUE), text);
    }

    /** GNU strings -a over one chunk: every run starting in [start, end). */
    private void ascii(Chunk c, byte[] buf, int min, Pattern grep, Out o) {
        long base = fill(c, buf, 1);
        int lim = (int) (Math.min(c.rangeEnd, c.end + ext) - base);
        int end = (int) (c.end - base);
        int i = (int) (c.start - base);
        boolean more = base + lim < c.rangeEnd;
        if (i > 0 && PRINT[buf[i - 1] & 0xff]) {
            // a run from the previous chunk: skip it
            while (i < lim && PRINT[buf[i] & 0xff]) {
                i++;
            }
            if (i == lim) {
                return; // the run covers this chunk and its extension
            }
        }
        while (i < end) {
            // next printable byte; cores are mostly zeros: skip zero words four at a time
            while (i + 32 <= lim && ((long) LONG.get(buf, i) | (long) LONG.get(buf, i + 8)
                    | (long) LONG.get(buf, i + 16) | (long) LONG.get(buf, i + 24)) == 0) {
                i += 32;
            }
            while (i + 8 <= lim) {
                long m = printableMask((long) LONG.get(buf, i));
                if (m != 0) {
                    i += Long.numberOfTrailingZeros(m) >>> 3;
                    break;
                }
                i += 8;
            }
            while (i < lim && !PRINT[buf[i] & 0xff]) {
                i++;
            }
            if (i >= end) {
                break;
            }
            int s = i;
            // end of the run
            while (i + 8 <= lim) {
                long m = ~printableMask((long) LONG.get(buf, i)) & H80;
                if (m != 0) {
                    i += Long.numberOfTrailingZeros(m) >>> 3;
                    break;
                }
                i += 8;
            }
            while (i < lim && PRINT[buf[i] & 0xff]) {
                i++;
            }
            long e = base + i;
            if (i >= lim && more) {
                e = asciiRunEnd(base + lim, c.rangeEnd);
            }
            emitAscii(base + s, e, min, grep, o, buf, base, lim);
            if (e >= base + lim) {
                break;
            }
            i++;
        }
    }

    /**
     * ASCII strings matching a regex, found from its required literals: each occurrence of a literal is widened
     * to its printable run, which is kept when long enough and the regex finds a match in it.
     */
    private void grepAscii(Chunk c, byte[] buf, int min, Pattern grep, LiteralPrefilter pre, Out o) {
        long base = fill(c, buf, 0);
        int lim = (int) (Math.min(c.rangeEnd, c.end + ext) - base);
        int end = (int) (c.end - base);
        byte[][] lits = new byte[pre.literals().size()][];
        int[] anchorAt = new int[lits.length];
        // Each literal is found by the pair of adjacent bytes in it least likely in memory (a single letter like
        // 'E' is also an x86 REX prefix and common in binary data; a pair is far rarer).
        long[] first1 = new long[lits.length];
        long[] second1 = new long[lits.length];
        int nPairs = 0;
        for (int k = 0; k < lits.length; k++) {
            lits[k] = pre.literals().get(k).getBytes(StandardCharsets.ISO_8859_1);
            anchorAt[k] = rarestPair(lits[k]);
            long a = (lits[k][anchorAt[k]] & 0xffL) * 0x0101010101010101L;
            long b = (lits[k][anchorAt[k] + 1] & 0xffL) * 0x0101010101010101L;
            boolean seen = false;
            for (int j = 0; j < nPairs; j++) {
                seen |= first1[j] == a && second1[j] == b;
            }
            if (!seen) {
                first1[nPairs] = a;
                second1[nPairs] = b;
                nPairs++;
            }
        }
        long lastRunEnd = -1;
        int first = (int) (c.start - base);
        int i = first;
        // Anchors are searched up to end + the largest anchor index, so that a literal starting before end is seen.
        int maxAt = 0;
        for (int a : anchorAt) {
            maxAt = Math.max(maxAt, a);
        }
        int scanEnd = Math.min(lim, end + maxAt);
        while (i < scanEnd) {
            long m;
            if (i + 32 <= lim && ((long) LONG.get(buf, i) | (long) LONG.get(buf, i + 8)
                    | (long) LONG.get(buf, i + 16) | (long) LONG.get(buf, i + 24)) == 0) {
                i += 32; // cores are mostly zeros
                continue;
            }
            if (i + 8 <= lim) {
                long w = (long) LONG.get(buf, i);
                if (w == 0) {
                    i += 8;
                    continue;
                }
                long w2 = (long) LONG.get(buf, i + 1); // buf has 16 spare bytes past lim
                m = 0;
                for (int j = 0; j < nPairs; j++) {
                    m |= zeroBytes(w ^ first1[j]) & zeroBytes(w2 ^ second1[j]);
                }
                if (m == 0) {
                    i += 8;
                    continue;
                }
            } else {
                m = H80; // the last bytes: check each
            }
            int next = i + 8;
            while (m != 0) {
                int p = i + (Long.numberOfTrailingZeros(m) >>> 3);
                m &= m - 1;
                if (p >= scanEnd || base + p < lastRunEnd) {
                    continue;
                }
                byte b = buf[p];
                byte b2 = buf[p + 1];
                for (int k = 0; k < lits.length; k++) {
                    int ls = p - anchorAt[k];
                    if (lits[k][anchorAt[k]] != b || lits[k][anchorAt[k] + 1] != b2 || ls < first || ls >= end || ls + lits[k].length > lim
                            || !regionMatches(buf, ls, lits[k])) {
                        continue;
                    }
                    long abs = base + ls;
                    long rs = runStart(abs, c.rangeStart, buf, base);
                    int ri = ls + lits[k].length;
                    while (ri < lim && PRINT[buf[ri] & 0xff]) {
                        ri++;
                    }
                    long rEnd = base + ri;
                    if (ri >= lim && base + lim < c.rangeEnd) {
                        rEnd = asciiRunEnd(base + lim, c.rangeEnd);
                    }
                    lastRunEnd = rEnd;
                    // a run reaching back into the previous chunk belongs to it if a literal of it starts there
                    if (rs >= c.start || !literalIn(rs, c.start, lits)) {
                        emitAscii(rs, rEnd, min, grep, o, buf, base, lim);
                    }
                    break;
                }
                if (lastRunEnd > base + p) {
                    next = (int) Math.min((long) scanEnd, lastRunEnd - base);
                    break;
                }
            }
            i = next;
        }
    }

    /** Start of the printable run containing absolute offset {@code abs} (not before rangeStart). */
    private long runStart(long abs, long rangeStart, byte[] buf, long base) {
        int p = (int) (abs - base);
        while (p > 0 && PRINT[buf[p - 1] & 0xff]) {
            p--;
        }
        if (p > 0 || base == rangeStart) {
            return base + p;
        }
        // the run reaches back before the buffer: read backwards from the file
        long q = base;
        byte[] b = new byte[64 << 10];
        while (q > rangeStart) {
            long from = Math.max(rangeStart, q - b.length);
            int n = file.read(from, b, 0, (int) (q - from));
            for (int k = n - 1; k >= 0; k--) {
                if (!PRINT[b[k] & 0xff]) {
                    return from + k + 1;
                }
            }
            q = from;
        }
        return rangeStart;
    }

    /** Whether a literal starts in [from, to) (a run's part that lies in the previous chunk). */
    private boolean literalIn(long from, long to, byte[][] lits) {
        int maxLen = 0;
        for (byte[] l : lits) {
            maxLen = Math.max(maxLen, l.length);
        }
        long len = to - from + maxLen;
        byte[] b = new byte[(int) Math.min(len, Integer.MAX_VALUE - 16)];
        int n = file.read(from, b, 0, b.length);
        for (int p = 0; p < n && from + p < to; p++) {
            for (byte[] l : lits) {
                if (p + l.length <= n && regionMatches(b, p, l)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean regionMatches(byte[] buf, int at, byte[] lit) {
        for (int j = 0; j < lit.length; j++) {
            if (buf[at + j] != lit[j]) {
                return false;
            }
        }
        return true;
    }

    /** 0x80 in each byte of x that is zero (exact: no false positives). */
    private static long zeroBytes(long x) {
        return ~(((x & L7F) + L7F) | x | L7F);
    }

    /** Index i of the pair (i, i+1) of the literal least likely in memory. */
    static int rarestPair(byte[] lit) {
        int best = 0;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i + 1 < lit.length; i++) {
            int r = rank(lit[i] & 0xff) + rank(lit[i + 1] & 0xff);
            if (r < bestRank) {
                bestRank = r;
                best = i;
            }
        }
        return best;
    }

    /** Index of the literal's byte least likely in memory (upper case, digits, punctuation before lower case). */
    static int rarest(byte[] lit) {
        int best = 0;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i < lit.length; i++) {
            int r = rank(lit[i] & 0xff);
            if (r < bestRank) {
                bestRank = r;
                best = i;
            }
        }
        return best;
    }

    private static int rank(int c) {
        if ("QJXZKVWYqjxzkv".indexOf(c) >= 0) {
            return 0;
        }
        if (c >= 'A' && c <= 'Z') {
            return 1;
        }
        if ("_/:;<>[]{}|~^`\\#@!?&%$\"'".indexOf(c) >= 0) {
            return 2;
        }
        if ("bfgmpwyBFGMPWY".indexOf(c) >= 0) {
            return 3;
        }
        if (c >= 'a' && c <= 'z') {
            return 4 + (("etaoinshrdlcu".indexOf(c) + 1));
        }
        if (c >= '0' && c <= '9') {
            return 6;
        }
        return 20; // space, '.', ',', '-', '=', NUL-like bytes
    }

    /** UTF-16LE runs over one chunk: GNU -el (both alignments) or printable Unicode (even offsets). */
    private void wide(Chunk c, byte[] buf, int min, boolean unicode, Pattern grep, Out o) {
        long base = fill(c, buf, 2);
        int lim = (int) (Math.min(c.rangeEnd, c.end + ext) - base);
        boolean more = base + lim < c.rangeEnd;
        List<long[]> runs = new ArrayList<>();
        for (int align = 0; align < (unicode ? 1 : 2); align++) {
            long p = c.start;
            if (((p - (unicode ? 0 : align)) & 1) != 0) {
                p++;
            }
            // a run from the previous chunk: skip it
            if (p - 2 >= c.rangeStart && unit(p - 2, buf, base, lim, c.rangeEnd, unicode)) {
                while (p < c.rangeEnd && unit(p, buf, base, lim, c.rangeEnd, unicode)) {
                    p += 2;
                }
            }
            while (p < c.end) {
                int bi = (int) (p - base);
                if (bi + 8 <= lim && (long) LONG.get(buf, bi) == 0) {
                    p += 8;
                    continue;
                }
                if (!unit(p, buf, base, lim, c.rangeEnd, unicode)) {
                    p += 2;
                    continue;
                }
                long s = p;
                while (unit(p, buf, base, lim, c.rangeEnd, unicode)) {
                    p += 2;
                }
                if ((p - s) / 2 >= min) {
                    runs.add(new long[] {s, p});
                }
            }
        }
        if (!unicode) {
            runs.sort((a, b) -> Long.compare(a[0], b[0]));
        }
        for (long[] r : runs) {
            long len = r[1] - r[0];
            String text = null;
            if (unicode || grep != null || o.decode) {
                byte[] b = new byte[(int) len];
                if (r[0] >= base && r[1] <= base + lim) {
                    System.arraycopy(buf, (int) (r[0] - base), b, 0, (int) len);
                } else {
                    file.read(r[0], b, 0, b.length);
                }
                text = new String(b, StandardCharsets.UTF_16LE);
                if (unicode) {
                    int keep = v8Length(r[0], text.length());
                    if (keep >= min && keep < text.length()) {
                        text = text.substring(0, keep);
                        len = 2L * keep;
                    }
                    if (!readsAsText(text, keep == text.length())) {
                        // bytes that happen to be printable (a pointer, a length) glued to a string's end or start
                        // can spoil a real one ("…\"open\":987}訠Ⴡ"): try it without what lies past its ASCII
                        int[] t = trimmedToAscii(text, min);
                        if (t == null) {
                            continue;
                        }
                        text = text.substring(t[0], t[1]);
                        r[0] += 2L * t[0];
                        len = 2L * (t[1] - t[0]);
                    }
                }
                if (grep != null && !grep.matcher(text).find()) {
                    continue;
                }
            }
            o.add(r[0], (int) len, text);
        }
    }

    /** Whether the 16-bit unit at absolute offset p is part of a string. */
    private boolean unit(long p, byte[] buf, long base, int lim, long rangeEnd, boolean unicode) {
        if (p + 2 > rangeEnd) {
            return false;
        }
        int lo;
        int hi;
        int bi = (int) (p - base);
        if (p >= base && bi + 2 <= lim) {
            lo = buf[bi] & 0xff;
            hi = buf[bi + 1] & 0xff;
        } else {
            lo = file.get(p) & 0xff;
            hi = file.get(p + 1) & 0xff;
        }
        if (unicode) {
            return UPRINT[lo | hi << 8];
        }
        return hi == 0 && PRINT[lo];
    }

    /**
     * The V8 string length stored right before a two-byte string's characters (the int32 before them, with or
     * without pointer compression), when it is plausible for a run of {@code units}; else -1.
     */
    private int v8Length(long off, int units) {
        if (off < 4) {
            return -1;
        }
        byte[] b = new byte[4];
        if (file.read(off - 4, b, 0, 4) < 4) {
            return -1;
        }
        int l = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        return l >= 1 && l <= units ? l : -1;
    }

    /**
     * For a run that does not read as text: the span {start, end} of it that does once the units after its last
     * visible ASCII character are dropped, else those before its first, else both (at least {@code min} long), else
     * null. Real two-byte text in memory is JSON, log lines, names with spaces: ASCII bounds
     * it, while what merely decodes next to it rarely holds ASCII at all.
     */
    static int[] trimmedToAscii(String s, int min) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch > 0x20 && ch < 0x7f) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (first < 0) {
            return null;
        }
        int[][] spans = {{0, last + 1}, {first, s.length()}, {first, last + 1}};
        for (int[] sp : spans) {
            if (sp[1] - sp[0] >= min && sp[1] - sp[0] < s.length() && readsAsText(s.substring(sp[0], sp[1]), false)) {
                return sp;
            }
        }
        return null;
    }

    /**
     * Whether a UTF-16 run reads as text rather than bytes that happen to decode: at least one character above
     * U+00FF (else {@code strings -el} already sees it); at most half its units made of two printable ASCII bytes
     * (ASCII text read as UTF-16); each word (run of letters) in one script (Han, Hiragana and Katakana
     * together), a Latin word mostly ASCII or Latin-1; and either a V8 length field right before it
     * ({@code lengthPrefixed}) or ASCII among the other characters (JSON, log lines, names with spaces) — at
     * least two ASCII letters or digits when it holds Han or Hangul, whose blocks random bytes hit often.
     */
    static boolean readsAsText(String s, boolean lengthPrefixed) {
        int wide = 0;
        int asciiPairs = 0;
        int ascii = 0;
        Character.UnicodeScript wordScript = null;
        int wordLetters = 0;
        int wordExt = 0;
        int wordWide = 0;
        int alnum = 0;
        boolean bigBlock = false;
        for (int i = 0; i <= s.length(); i++) {
            char ch = i < s.length() ? s.charAt(i) : ' ';
            int type = Character.getType(ch);
            boolean mark = type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
            if (i < s.length()) {
                if (ch > 0xff) {
                    wide++;
                }
                if (ch >= 0x20 && ch < 0x7f) {
                    ascii++;
                    if (Character.isLetterOrDigit(ch)) {
                        alnum++;
                    }
                }
                if (PRINT[ch & 0xff] && PRINT[ch >>> 8]) {
                    asciiPairs++;
                }
            }
            if (i < s.length() && (Character.isLetter(ch) || mark)) {
                Character.UnicodeScript sc = Character.UnicodeScript.of(ch);
                if (sc == Character.UnicodeScript.HIRAGANA || sc == Character.UnicodeScript.KATAKANA) {
                    sc = Character.UnicodeScript.HAN;
                }
                if (sc == Character.UnicodeScript.HAN || sc == Character.UnicodeScript.HANGUL) {
                    bigBlock = true;
                }
                if (sc != Character.UnicodeScript.INHERITED && sc != Character.UnicodeScript.COMMON) {
                    if (wordScript == null) {
                        wordScript = sc;
                    } else if (wordScript != sc) {
                        return false;
                    }
                }
                wordLetters++;
                if (ch >= 0x100 && ch < 0x180) {
                    wordExt++;
                }
                if (ch > 0xff) {
                    wordWide++;
                }
                continue;
            }
            if (ch > 0xff && !(type == Character.SPACE_SEPARATOR || type == Character.CURRENCY_SYMBOL
                    || (type >= Character.DASH_PUNCTUATION && type <= Character.OTHER_PUNCTUATION)
                    || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION)) {
                return false; // a wide symbol, digit of another script… outside a word
            }
            if (wordScript == Character.UnicodeScript.LATIN && wordExt * 2 > wordLetters) {
                return false;
            }
            if (wordWide > 0 && wordLetters < 2 && wordScript != Character.UnicodeScript.HAN) {
                return false; // one-letter words are common only in Chinese and Japanese
            }
            wordScript = null;
            wordLetters = 0;
            wordExt = 0;
            wordWide = 0;
        }
        // Han and Hangul fill a third of all 16-bit values: without a V8 length, ask for ASCII words around them
        return wide > 0 && asciiPairs * 2 <= s.length()
                && (lengthPrefixed || (bigBlock ? alnum >= 2 : ascii > 0));
    }
}
