package dev.leakscope;

import dev.leakscope.core.CoreFile;
import dev.leakscope.core.Segment;
import dev.leakscope.core.StringScanner;
import dev.leakscope.core.StringScanner.Encoding;
import dev.leakscope.core.StringScanner.Hits;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The printable strings of a core, as an immutable query: every step returns a new {@code Strings}, so a notebook
 * cell can be re-run. By default exactly what GNU {@code strings -a} prints (every byte of the file, runs of ≥ 4
 * of {@code \t} and 0x20..0x7e, in file order). {@link #utf16()} is {@code strings -a -el}; {@link #unicode()}
 * finds UTF-16LE text of any script (V8's two-byte strings: Cyrillic, CJK…).
 *
 * <pre>{@code
 * core.strings().grep("ENOMEM|EMFILE").count()
 * core.strings().grep("(Error|ENOMEM|EMFILE|leak)").countBy()
 * core.strings().unicode().table()
 * core.strings().extract("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
 * }</pre>
 */
public final class Strings {

    private final Core core;
    private final List<Encoding> encodings;
    private final int minLength;
    private final List<Pattern> greps;
    private final Predicate<Segment> region;
    private final String regionDescription;
    private final boolean redact;

    private Strings(Core core, List<Encoding> encodings, int minLength, List<Pattern> greps,
                    Predicate<Segment> region, String regionDescription, boolean redact) {
        this.core = core;
        this.encodings = List.copyOf(encodings);
        this.minLength = minLength;
        this.greps = List.copyOf(greps);
        this.region = region;
        this.regionDescription = regionDescription;
        this.redact = redact;
    }

    static Strings of(Core core) {
        return new Strings(core, List.of(Encoding.ASCII), 4, List.of(), null, null, false);
    }

    /** Strings of at least {@code n} characters (default 4, like {@code strings -n}). */
    public Strings minLength(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("minLength must be ≥ 1, not " + n);
        }
        return new Strings(core, encodings, n, greps, region, regionDescription, redact);
    }

    /** One-byte strings only (the default): {@code strings -a}. */
    public Strings ascii() {
        return new Strings(core, List.of(Encoding.ASCII), minLength, greps, region, regionDescription, redact);
    }

    /** UTF-16LE strings of \t and 0x20..0x7e, at any alignment: exactly {@code strings -a -el}. */
    public Strings utf16() {
        return new Strings(core, List.of(Encoding.UTF16LE), minLength, greps, region, regionDescription, redact);
    }

    /** One-byte and UTF-16LE strings together, in file order. */
    public Strings bothEncodings() {
        return new Strings(core, List.of(Encoding.ASCII, Encoding.UTF16LE), minLength, greps, region, regionDescription, redact);
    }

    /**
     * UTF-16LE text with characters beyond Latin-1 (Cyrillic, Greek, CJK, Arabic…), which {@code strings -el}
     * cannot see: how V8 stores strings holding such characters. Runs at even offsets whose words are each in one
     * script, with ASCII among them or a V8 length right before them; see {@link StringScanner}.
     */
    public Strings unicode() {
        return new Strings(core, List.of(Encoding.UNICODE), minLength, greps, region, regionDescription, redact);
    }

    /**
     * Only strings in the regions whose label contains one of {@code labels} ({@code "[heap]"}, {@code "[stack"},
     * {@code "libc"}, {@code "[anon]"}… see {@link Core#regions()}). Strings then never cross a region's edge, and
     * the headers and notes are not searched.
     */
    public Strings in(String... labels) {
        List<String> ls = List.of(labels);
        return new Strings(core, encodings, minLength, greps,
                s -> ls.stream().anyMatch(l -> core.regionLabel(s.index()).contains(l)), "regions " + ls, redact);
    }

    /** Only strings in the regions (segments) {@code p} accepts, e.g. {@code s -> (s.flags() & Segment.PF_W) != 0}. */
    public Strings in(Predicate<Segment> p) {
        return new Strings(core, encodings, minLength, greps, Objects.requireNonNull(p), "selected regions", redact);
    }

    /** Only strings in which the regex finds a match (Java syntax, find semantics, like {@code grep -E}). Steps combine with AND. */
    public Strings grep(String regex) {
        return grep(Pattern.compile(regex));
    }

    /** As {@link #grep(String)} with a compiled pattern. */
    public Strings grep(Pattern p) {
        List<Pattern> g = new ArrayList<>(greps);
        g.add(p);
        return new Strings(core, encodings, minLength, g, region, regionDescription, redact);
    }

    /**
     * Secrets masked in what the terminal steps return ({@link #table()}, {@link #countBy()}, {@link #extract},
     * the recipes): passwords in URLs, tokens, JWTs, API keys, cookies, e-mails, as {@link Redact#text} does —
     * {@code postgres://orders:****@db…}. {@link #grep} still sees the real text; {@code countBy()} counts the
     * masked texts, so equal masks add up. {@link #writeTo} (the GNU drop-in) is not affected.
     */
    public Strings redact() {
        return new Strings(core, encodings, minLength, greps, region, regionDescription, true);
    }

    /** How many strings (one parallel scan of the file). */
    public long count() {
        long n = 0;
        for (Encoding e : encodings) {
            n += scan(e, true).count;
        }
        return n;
    }

    /** The strings in file order: offset (in the core file), address (hex, empty outside memory), region, encoding, text. */
    public Table table() {
        LongColumn offset = LongColumn.create("offset");
        StringColumn address = StringColumn.create("address");
        StringColumn regionCol = StringColumn.create("region");
        StringColumn enc = StringColumn.create("encoding");
        StringColumn text = StringColumn.create("text");
        List<Hits> all = new ArrayList<>();
        for (Encoding e : encodings) {
            all.add(scan(e, false));
        }
        // merge by file offset
        int[] pos = new int[all.size()];
        CoreFile f = core.file();
        List<Segment> byOffset = new ArrayList<>(f.segments());
        byOffset.removeIf(s -> s.present() == 0);
        byOffset.sort(Comparator.comparingLong(Segment::fileOffset));
        long[] segOff = byOffset.stream().mapToLong(Segment::fileOffset).toArray();
        int best;
        while ((best = nextInFileOrder(all, pos)) >= 0) {
            Hits h = all.get(best);
            int i = pos[best]++;
            long off = h.offsets[i];
            offset.append(off);
            int si = Arrays.binarySearch(segOff, off);
            if (si < 0) {
                si = -si - 2;
            }
            Segment s = si >= 0 && byOffset.get(si).containsFileOffset(off) ? byOffset.get(si) : null;
            address.append(s == null ? "" : Core.hex(s.vaddr() + (off - s.fileOffset())));
            regionCol.append(core.labelAtFileOffset(s, off));
            enc.append(h.encoding.label());
            text.append(h.texts != null ? h.texts[i] : decode(h.encoding, off, h.byteLengths[i]));
        }
        Table t = Table.create("strings", offset, address, regionCol, enc, text);
        return redact ? Redact.table(t) : t;
    }

    /**
     * Writes the strings in file order the way GNU {@code strings} prints them: each text and a newline, preceded
     * with {@code radix} 'd', 'x' or 'o' by its file offset ({@code strings -t}); one-byte and UTF-16 texts as
     * Latin-1 bytes (as GNU writes them), {@link #unicode()} texts as UTF-8. Scans 32 MB of the core at a time, so
     * memory stays bounded whatever the core's size. Not affected by {@link #redact()}.
     *
     * @return the number of strings written
     */
    public long writeTo(java.io.OutputStream out, char radix) throws java.io.IOException {
        java.io.OutputStream o = out instanceof java.io.BufferedOutputStream ? out
                : new java.io.BufferedOutputStream(out, 1 << 16);
        long[][] r = ranges();
        StringScanner sc = new StringScanner(core.file().fileWindows());
        StringScanner.Plan plan = sc.plan(r[0], r[1], WRITE_BATCH);
        long n = 0;
        try (Progress p = Progress.start("strings " + core.path().getFileName(), total(r))) {
            for (int b = 0; b < plan.size(); b++) {
                List<Hits> all = new ArrayList<>();
                for (Encoding e : encodings) {
                    all.add(andGreps(sc.scan(plan, b, query(e, false, false), p)));
                }
                n += write(all, o, radix);
            }
        }
        o.flush();
        return n;
    }

    /** Bytes of the core scanned per batch by {@link #writeTo}: what it holds in memory is about this batch's strings. */
    private static final long WRITE_BATCH = 32L << 20;

    /** Which of the per-encoding hit lists holds the next string in file order (their cursors in pos), or -1 when all are done. */
    private static int nextInFileOrder(List<Hits> all, int[] pos) {
        int best = -1;
        for (int k = 0; k < all.size(); k++) {
            if (pos[k] < all.get(k).offsets.length
                    && (best < 0 || all.get(k).offsets[pos[k]] < all.get(best).offsets[pos[best]])) {
                best = k;
            }
        }
        return best;
    }

    /** Writes one batch's hits (one list per encoding) merged in file order. */
    private long write(List<Hits> all, java.io.OutputStream o, char radix) throws java.io.IOException {
        int[] pos = new int[all.size()];
        long n = 0;
        byte[] buf = new byte[4096];
        int best;
        while ((best = nextInFileOrder(all, pos)) >= 0) {
            Hits h = all.get(best);
            int i = pos[best]++;
            long off = h.offsets[i];
            if (radix != 0) {
                String num = radix == 'x' ? Long.toHexString(off) : radix == 'o' ? Long.toOctalString(off)
                        : Long.toString(off);
                StringBuilder sb = new StringBuilder();
                for (int k = num.length(); k < 7; k++) {
                    sb.append(' ');
                }
                o.write(sb.append(num).append(' ').toString().getBytes(StandardCharsets.US_ASCII));
            }
            if (h.encoding == Encoding.UNICODE) {
                String t = h.texts != null ? h.texts[i] : decode(h.encoding, off, h.byteLengths[i]);
                o.write(t.getBytes(StandardCharsets.UTF_8));
            } else if (h.encoding == Encoding.ASCII && h.texts == null) {
                int len = h.byteLengths[i];
                if (buf.length < len) {
                    buf = new byte[Math.max(len, buf.length * 2)];
                }
                int got = core.file().readFile(off, buf, 0, len);
                o.write(buf, 0, got);
            } else {
                String t = h.texts != null ? h.texts[i] : decode(h.encoding, off, h.byteLengths[i]);
                o.write(t.getBytes(StandardCharsets.ISO_8859_1));
            }
            o.write('\n');
            n++;
        }
        return n;
    }

    /** The text column of {@link #table()}: the texts in file order (masked after {@link #redact()}). */
    public List<String> texts() {
        return table().stringColumn("text").asList();
    }

    /** Distinct texts with how many times each occurs: text, count — most frequent first ({@code sort | uniq -c | sort -rn}). */
    public Table countBy() {
        Map<String, Integer> counts = new HashMap<>();
        for (Encoding e : encodings) {
            Hits h = scan(e, false);
            for (int i = 0; i < h.offsets.length; i++) {
                String t = h.texts != null ? h.texts[i] : decode(e, h.offsets[i], h.byteLengths[i]);
                counts.merge(redact ? Redact.text(t) : t, 1, Integer::sum);
            }
        }
        return counted("text", counts);
    }

    /**
     * Every match of {@code regex} inside the strings (not whole strings), counted: match, count — most frequent
     * first ({@code grep -oE RE | sort | uniq -c | sort -rn}). When the regex has a capturing group, group 1 is
     * counted instead of the whole match.
     */
    public Table extract(String regex) {
        Pattern p = Pattern.compile(regex);
        Strings narrowed = grep(p);
        Map<String, Integer> counts = new HashMap<>();
        for (Encoding e : encodings) {
            Hits h = narrowed.scan(e, false);
            for (int i = 0; i < h.offsets.length; i++) {
                String t = h.texts != null ? h.texts[i] : decode(e, h.offsets[i], h.byteLengths[i]);
                Matcher m = p.matcher(t);
                while (m.find()) {
                    String g = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
                    counts.merge(redact ? Redact.text(g) : g, 1, Integer::sum);
                }
            }
        }
        return counted("match", counts);
    }

    // ------------------------------------------------------------------ recipes (the seed's one-liners)

    /** Strings mentioning errors: {@code strings | grep -E "(Error|ENOMEM|EMFILE|leak)"}, counted by text. */
    public Table errors() {
        return grep("(Error|ENOMEM|EMFILE|leak)").countBy();
    }

    /**
     * Error codes (errno names as Node reports them, and Node's ERR_* codes) found in strings: match, count. The node
     * binary's own tables name every ERR_* code once; {@code in("[anon]").errorCodes()} counts only the process's data.
     */
    public Table errorCodes() {
        return extract("\\b(E(?:CONNRESET|TIMEDOUT|NOTFOUND|CONNREFUSED|PIPE|MFILE|NFILE|NOMEM|ADDRINUSE"
                + "|ADDRNOTAVAIL|ACCES|AGAIN|BADF|BUSY|CANCELED|CONNABORTED|EXIST|HOSTUNREACH|INTR|INVAL|IO|ISDIR"
                + "|NETUNREACH|NETDOWN|NOBUFS|NOENT|NOSPC|NOTCONN|NOTDIR|NOTEMPTY|NOTSOCK|NOTSUP|PERM|PROTO|RANGE"
                + "|ROFS|SHUTDOWN|SRCH|XDEV|AI_AGAIN|AI_FAIL|AI_NONAME)|ERR_[A-Z0-9_]{3,})\\b");
    }

    /** UUIDs in strings (e.g. leaked temp files or request ids): match, count. The sum is {@code grep -oE … | wc -l}. */
    public Table uuids() {
        return extract("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    /**
     * {@code process.memoryUsage()} figures left in memory ({@code rss: 40837120,} or JSON {@code "rss":40837120}):
     * offset, address, key, value — in file order.
     */
    public Table memoryStats() {
        Pattern p = Pattern.compile("\"?\\b(rss|heapTotal|heapUsed|external|arrayBuffers)\"?:\\s*(\\d+)");
        Table t = grep(p).table();
        LongColumn offset = LongColumn.create("offset");
        StringColumn address = StringColumn.create("address");
        StringColumn key = StringColumn.create("key");
        LongColumn value = LongColumn.create("value");
        for (int r = 0; r < t.rowCount(); r++) {
            Matcher m = p.matcher(t.stringColumn("text").get(r));
            while (m.find()) {
                try {
                    long v = Long.parseLong(m.group(2));
                    offset.append(t.longColumn("offset").get(r));
                    address.append(t.stringColumn("address").get(r));
                    key.append(m.group(1));
                    value.append(v);
                } catch (NumberFormatException ignored) {
                    // digits beyond a long are not a memory figure
                }
            }
        }
        return Table.create("memoryStats", offset, address, key, value);
    }

    /** Strings about connections: {@code grep -E "(Socket|Stream|Pool|Agent|keepAlive)" | sort | uniq -c | sort -rn}. */
    public Table sockets() {
        return grep("(Socket|Stream|Pool|Agent|keepAlive)").countBy();
    }

    /** npm packages named in paths ({@code node_modules/NAME/…js}, scoped names too): match (the package), count. */
    public Table modules() {
        return extract("node_modules/((?:@[\\w.-]+/)?[\\w.-]+)/[^\\s'\"]*\\.js");
    }

    // ------------------------------------------------------------------ scanning

    Hits scan(Encoding e, boolean countOnly) {
        long[][] r = ranges();
        StringScanner sc = new StringScanner(core.file().fileWindows());
        Hits h;
        try (Progress p = Progress.start("strings " + core.path().getFileName(), total(r))) {
            h = sc.scan(r[0], r[1], query(e, countOnly && greps.size() <= 1, !countOnly), p);
        }
        return andGreps(h);
    }

    private StringScanner.Query query(Encoding e, boolean countOnly, boolean decode) {
        return new StringScanner.Query(e, minLength, greps.isEmpty() ? null : greps.get(0), countOnly, decode);
    }

    /** The file ranges to scan: {starts, ends}, sorted — the whole file, or the present bytes of the chosen regions. */
    private long[][] ranges() {
        CoreFile f = core.file();
        if (region == null) {
            return new long[][] {{0}, {f.fileSize()}};
        }
        List<long[]> ranges = new ArrayList<>();
        for (Segment s : f.segments()) {
            if (s.present() > 0 && region.test(s)) {
                ranges.add(new long[] {s.fileOffset(), s.fileOffset() + s.present()});
            }
        }
        ranges.sort(Comparator.comparingLong(x -> x[0]));
        return new long[][] {ranges.stream().mapToLong(x -> x[0]).toArray(), ranges.stream().mapToLong(x -> x[1]).toArray()};
    }

    private static long total(long[][] r) {
        long total = 0;
        for (int i = 0; i < r[0].length; i++) {
            total += r[1][i] - r[0][i];
        }
        return total;
    }

    /** Keeps the hits that every grep after the first also finds (the first was applied by the scan). */
    private Hits andGreps(Hits h) {
        if (greps.size() <= 1) {
            return h;
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < h.offsets.length; i++) {
            String t = h.texts[i];
            boolean all = true;
            for (int g = 1; g < greps.size() && all; g++) {
                all = greps.get(g).matcher(t).find();
            }
            if (all) {
                keep.add(i);
            }
        }
        long[] off = new long[keep.size()];
        int[] len = new int[keep.size()];
        String[] tx = new String[keep.size()];
        for (int k = 0; k < keep.size(); k++) {
            off[k] = h.offsets[keep.get(k)];
            len[k] = h.byteLengths[keep.get(k)];
            tx[k] = h.texts[keep.get(k)];
        }
        return StringScanner.hits(h.encoding, off, len, tx);
    }

    private String decode(Encoding e, long off, int len) {
        byte[] b = new byte[len];
        int n = core.file().readFile(off, b, 0, len);
        return new String(b, 0, n, e == Encoding.ASCII ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_16LE);
    }

    private static Table counted(String name, Map<String, Integer> counts) {
        List<Map.Entry<String, Integer>> es = new ArrayList<>(counts.entrySet());
        es.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        StringColumn k = StringColumn.create(name);
        IntColumn c = IntColumn.create("count");
        for (Map.Entry<String, Integer> e : es) {
            k.append(e.getKey());
            c.append(e.getValue());
        }
        return Table.create(name.equals("text") ? "countBy" : "extract", k, c);
    }

    @Override
    public String toString() {
        return "Strings of " + core.path() + " (" + encodings + ", minLength " + minLength
                + (greps.isEmpty() ? "" : ", grep " + greps) + (regionDescription == null ? "" : ", in " + regionDescription)
                + (redact ? ", redacted" : "") + ") — call count(), table(), countBy() or extract(regex)";
    }
}
