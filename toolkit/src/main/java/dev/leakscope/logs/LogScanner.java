package dev.leakscope.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads one log file, line by line straight from bytes, into a {@link LogData}. Every line is sniffed on its own,
 * so formats may interleave (node's {@code --trace-gc} shares stdout with the app):
 * <ul>
 *   <li>{@code console.log(process.memoryUsage())} blocks (7 lines), one-line inspect, TTY colours, CRLF,
 *       numeric separators, an ISO timestamp before the block (own line) or on its first line;</li>
 *   <li>JSON lines: {@code JSON.stringify(memoryUsage())}, pino (nested or flattened, epoch ms {@code time}),
 *       bunyan ({@code time} ISO), winston ({@code timestamp}); event-loop fields (ELU, delay/lag percentiles);
 *       error fields ({@code err.code}, level ≥ 50);</li>
 *   <li>{@code --trace-gc} lines of every V8 spelling, several per line in the OOM tail, and {@code --trace-gc-nvp};</li>
 *   <li>error lines ({@code Error: EMFILE: too many open files…}, {@code code=ECONNRESET}) with their time.</li>
 * </ul>
 * Container runtime prefixes ({@code 2026-…Z stdout F }) and ISO prefixes are stripped and used as the line's time.
 */
final class LogScanner {

    static final int RSS = 0, HEAP_TOTAL = 1, HEAP_USED = 2, EXTERNAL = 3, ARRAY_BUFFERS = 4;
    static final String[] FIELDS = {"rss", "heapTotal", "heapUsed", "external", "arrayBuffers"};
    private static final long NONE = Timestamps.NONE;
    private static final int MAX_LINE = 64 << 20;
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private final LogData d;
    private final int file;
    private final Timestamps iso = new Timestamps();
    private final Amounts amounts = new Amounts();

    // the memoryUsage sample being assembled
    private final long[] acc = new long[5];
    private int accMask;
    private boolean accOpen;
    private long accLine;
    private long accOffset;
    private long accTime = NONE;
    private int accKind;

    private long pendingTime = NONE;
    private long lastTime = NONE;
    private long lastTimelineTime = NONE;
    private boolean inOomTail;
    private byte[] scratch = new byte[256];
    private long lineNo;
    private long lineOffset;

    /** When syslog times (no year) are read: the file's modification time, else now (see Timestamps.parseSyslog). */
    long syslogYearReference = System.currentTimeMillis();

    LogScanner(LogData d, int file) {
        this.d = d;
        this.file = file;
        this.EMPTY = d.intern("");
    }

    /** Lines read so far. */
    long lines() {
        return lineNo;
    }

    /** Scans the whole stream; {@code progress} receives bytes read. */
    void scan(InputStream in, java.util.function.LongConsumer progress) throws IOException {
        byte[] buf = new byte[4 << 20];
        int len = 0;
        long base = 0; // file offset of buf[0]
        boolean eof = false;
        while (!eof) {
            int r = in.read(buf, len, buf.length - len);
            if (r < 0) {
                eof = true;
            } else {
                len += r;
                progress.accept(r);
            }
            int s = 0;
            int n = len;
            while (true) {
                int nl = indexOf(buf, (byte) '\n', s, n);
                if (nl < 0) {
                    break;
                }
                lineNo++;
                lineOffset = base + s;
                line(buf, s, nl);
                s = nl + 1;
            }
            if (eof) {
                if (s < n) {
                    lineNo++;
                    lineOffset = base + s;
                    line(buf, s, n);
                }
                break;
            }
            if (s == 0 && n == buf.length) {
                // a line longer than the buffer
                if (buf.length >= MAX_LINE) {
                    lineNo++;
                    warn(base, "line longer than " + (MAX_LINE >> 20) + " MiB: skipped", buf, 0, 120);
                    // skip to next newline
                    int skipped = 0;
                    while (true) {
                        int rr = in.read(buf, 0, buf.length);
                        if (rr < 0) {
                            eof = true;
                            len = 0;
                            break;
                        }
                        progress.accept(rr);
                        skipped += rr;
                        int nl = indexOf(buf, (byte) '\n', 0, rr);
                        if (nl >= 0) {
                            System.arraycopy(buf, nl + 1, buf, 0, rr - nl - 1);
                            len = rr - nl - 1;
                            base += n + skipped - len;
                            break;
                        }
                    }
                    continue;
                }
                buf = Arrays.copyOf(buf, buf.length * 2);
                continue;
            }
            System.arraycopy(buf, s, buf, 0, n - s);
            len = n - s;
            base += s;
        }
        endOfFile();
    }

    private static int indexOf(byte[] b, byte v, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ one line

    private void line(byte[] b, int s, int e) {
        if (e > s && b[e - 1] == '\r') {
            e--;
        }
        if (lineOffset == 0 && e - s >= 3 && b[s] == (byte) 0xef && b[s + 1] == (byte) 0xbb && b[s + 2] == (byte) 0xbf) {
            s += 3; // a UTF-8 byte-order mark (Windows editors) is not part of the first record
        }
        for (int i = s; i < e; i++) {
            if (b[i] == 0x1b) {
                int n = stripAnsi(b, s, e);
                b = scratch;
                s = 0;
                e = n;
                break;
            }
        }
        int p = skipSpaces(b, s, e);
        if (p == e) {
            return;
        }
        long ts = NONE;
        byte c = b[p];
        if (c >= '0' && c <= '9') {
            ts = iso.parse(b, p, e);
            if (ts != NONE) {
                p = skipPrefixAfterTime(b, iso.end, e);
            }
        } else if (c >= 'A' && c <= 'S') {
            // `journalctl -u service` (short) and classic /var/log/syslog: "Nov 21 12:36:27 HOST IDENT[PID]: "
            long t = iso.parseSyslog(b, p, e, syslogYearReference);
            if (t != NONE) {
                int after = skipSpaces(b, iso.end, e);
                int q = syslogPrefixEnd(b, after, e);
                if (q > after) {
                    ts = t;
                    p = q;
                }
            }
        } else if (c == '[' && p + 1 < e) {
            if (b[p + 1] >= '0' && b[p + 1] <= '9') {
                if (gcLine(b, p, e)) {
                    return;
                }
                ts = iso.parse(b, p + 1, e);
                if (ts != NONE && iso.end < e && b[iso.end] == ']') {
                    p = skipPrefixAfterTime(b, iso.end + 1, e);
                } else {
                    ts = NONE;
                }
            }
        }
        if (ts != NONE) {
            noteTime(ts);
            if (p == e) {
                pendingTime = ts;
                d.kinds[LogData.KIND_TIMESTAMP]++;
                return;
            }
            c = b[p];
            if (c == '[' && gcLine(b, p, e)) {
                return;
            }
        }
        c = b[p];
        if (c == '{') {
            int q = skipSpaces(b, p + 1, e);
            if (q < e && b[q] == '"') {
                jsonLine(b, p, e, ts);
                pendingTime = NONE;
                return;
            }
            if (inspect(b, p, e, ts) >= 0) {
                return;
            }
        } else if (c == '}') {
            if (inspect(b, p, e, ts) >= 0) {
                return;
            }
        } else if (isIdentStart(c) || c == '\'' || c == '"') {
            if (startsWithMemoryKey(b, p, e) && inspect(b, p, e, ts) >= 0) {
                return;
            }
        }
        if (inOomTail) {
            // the OOM tail is a ring buffer: its first line may start in the middle of a record
            int g = nextGcStart(b, p, e);
            if (g > p && gcLine(b, g, e)) {
                return;
            }
        }
        if (c == '<' && e - p > 5 && b[p + 1] == '-' && b[p + 2] == '-' && b[p + 3] == '-') {
            // "<--- Last few GCs --->", "<--- JS stacktrace --->"
            inOomTail = true;
            return;
        }
        // an ordinary line: it ends an open memoryUsage block, may be an error
        if (accMask != 0 && !accOpen) {
            emitMemory();
        } else if (accOpen && accMask != 0) {
            warn(lineOffset, "memoryUsage block interrupted by another line", b, p, e);
            emitMemory();
        }
        accOpen = false;
        if (!errorLine(b, p, e, ts)) {
            d.kinds[LogData.KIND_OTHER]++;
        }
        pendingTime = NONE;
    }

    private int skipPrefixAfterTime(byte[] b, int p, int e) {
        p = skipSpaces(b, p, e);
        // syslog / journal prefix after an ISO time (rsyslog's default, `journalctl -o short-iso`): "HOST IDENT[PID]: "
        int q = syslogPrefixEnd(b, p, e);
        boolean syslog = q > p;
        if (syslog) {
            p = q;
        }
        // CRI log prefix: "stdout F " / "stderr P "
        if (!syslog && e - p >= 9 && (startsWith(b, p, e, "stdout ") || startsWith(b, p, e, "stderr "))
                && (b[p + 7] == 'F' || b[p + 7] == 'P') && b[p + 8] == ' ') {
            p = skipSpaces(b, p + 9, e);
            // the app's own ISO prefix may follow
            if (p < e && b[p] >= '0' && b[p] <= '9') {
                long t2 = iso.parse(b, p, e);
                if (t2 != NONE) {
                    p = skipSpaces(b, iso.end, e);
                }
            }
        }
        return p;
    }

    /**
     * The end of "HOST IDENT[PID]: " at {@code p} (what syslog and the systemd journal put before a service's line),
     * or {@code p} when there is none. HOST and IDENT are single words; the "[PID]: " is required, so an app line
     * such as "GET /orders: 200" is never taken for one.
     */
    private static int syslogPrefixEnd(byte[] b, int p, int e) {
        int i = p;
        while (i < e && b[i] != ' ' && b[i] != '[' && b[i] != ':' && b[i] != '{') {
            i++;
        }
        if (i == p || i >= e || b[i] != ' ') {
            return p;
        }
        int ident = ++i;
        while (i < e && b[i] != ' ' && b[i] != '[' && b[i] != ':' && b[i] != '{') {
            i++;
        }
        if (i == ident || i >= e || b[i] != '[') {
            return p;
        }
        int digits = ++i;
        while (i < e && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == digits || i + 1 >= e || b[i] != ']' || b[i + 1] != ':') {
            return p;
        }
        return skipSpaces(b, i + 2, e);
    }

    private void noteTime(long ts) {
        lastTime = ts;
        if (ts != lastTimelineTime) {
            lastTimelineTime = ts;
            d.timelineFile.add(file);
            d.timelineLine.add(lineNo);
            d.timelineMs.add(ts);
        }
    }

    private int stripAnsi(byte[] b, int s, int e) {
        if (scratch.length < e - s) {
            scratch = new byte[Math.max(e - s, scratch.length * 2)];
        }
        int n = 0;
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c == 0x1b && i + 1 < e && b[i + 1] == '[') {
                int j = i + 2;
                while (j < e && ((b[j] >= '0' && b[j] <= '9') || b[j] == ';' || b[j] == '?')) {
                    j++;
                }
                i = j; // skip the final letter too
                continue;
            }
            scratch[n++] = c;
        }
        return n;
    }

    // ------------------------------------------------------------------ memoryUsage, inspect style

    private static boolean isIdentStart(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    }

    private static boolean isIdent(byte c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }

    private boolean startsWithMemoryKey(byte[] b, int p, int e) {
        if (b[p] == '\'' || b[p] == '"') {
            p++;
        }
        int q = p;
        while (q < e && isIdent(b[q])) {
            q++;
        }
        return field(b, p, q) >= 0;
    }

    /** Index of a memoryUsage key spelled exactly, or -1. */
    static int field(byte[] b, int s, int e) {
        switch (e - s) {
            case 3: return b[s] == 'r' && b[s + 1] == 's' && b[s + 2] == 's' ? RSS : -1;
            case 8:
                if (b[s] == 'h' && eq(b, s, "heapUsed")) {
                    return HEAP_USED;
                }
                return b[s] == 'e' && eq(b, s, "external") ? EXTERNAL : -1;
            case 9: return b[s] == 'h' && eq(b, s, "heapTotal") ? HEAP_TOTAL : -1;
            case 12: return b[s] == 'a' && eq(b, s, "arrayBuffers") ? ARRAY_BUFFERS : -1;
            default: return -1;
        }
    }

    private static boolean eq(byte[] b, int s, String w) {
        for (int i = 0; i < w.length(); i++) {
            if (b[s + i] != w.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads inspect-style {@code key: value} pairs, braces open and close a sample. Returns the number of memory
     * keys read, or -1 when the line is not of this kind (nothing consumed).
     */
    private int inspect(byte[] b, int p, int e, long ts) {
        int found = 0;
        boolean any = false;
        while (p < e) {
            byte c = b[p];
            if (c == ' ' || c == ',' || c == '\t') {
                p++;
                continue;
            }
            if (c == '{') {
                if (accMask != 0) {
                    if (accOpen) {
                        warn(lineOffset, "memoryUsage block not closed before the next one", b, p, e);
                    }
                    emitMemory();
                }
                accOpen = true;
                startSample(ts);
                accKind = LogData.KIND_INSPECT_BLOCK;
                any = true;
                p++;
                continue;
            }
            if (c == '}') {
                if (accMask != 0) {
                    emitMemory();
                }
                accOpen = false;
                any = true;
                p++;
                continue;
            }
            int ks = p;
            byte quote = 0;
            if (c == '\'' || c == '"') {
                quote = c;
                ks = ++p;
            }
            while (p < e && isIdent(b[p])) {
                p++;
            }
            int ke = p;
            if (quote != 0 && p < e && b[p] == quote) {
                p++;
            }
            if (ke == ks || p >= e || b[p] != ':') {
                return any || found > 0 ? found : -1;
            }
            p = skipSpaces(b, p + 1, e);
            int f = field(b, ks, ke);
            if (f < 0) {
                if (!accOpen && found == 0) {
                    return any ? 0 : -1; // "foo: bar" outside a block is not ours
                }
                p = skipValue(b, p, e);
                any = true;
                continue;
            }
            double v = amounts.parse(b, p, e);
            if (Double.isNaN(v)) {
                warn(lineOffset, "expected a number after '" + FIELDS[f] + ":'", b, ks, e);
                p = skipValue(b, p, e);
                continue;
            }
            if ((accMask & (1 << f)) != 0) {
                emitMemory(); // a repeated key starts the next sample
            }
            if (accMask == 0) {
                startSample(ts);
                if (accKind == 0) {
                    accKind = accOpen ? LogData.KIND_INSPECT_BLOCK : LogData.KIND_KEY_VALUE;
                }
            }
            acc[f] = Math.round(v);
            accMask |= 1 << f;
            found++;
            any = true;
            p = amounts.pos;
        }
        return found;
    }

    private static int skipValue(byte[] b, int p, int e) {
        int depth = 0;
        byte quote = 0;
        while (p < e) {
            byte c = b[p];
            if (quote != 0) {
                if (c == '\\') {
                    p++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return p;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return p;
            }
            p++;
        }
        return p;
    }

    private void startSample(long ts) {
        if (accMask == 0 && accTime == NONE) {
            accLine = lineNo;
            accOffset = lineOffset;
            accTime = ts != NONE ? ts : pendingTime;
            pendingTime = NONE;
        }
    }

    private void emitMemory() {
        if ((accMask & ((1 << RSS) | (1 << HEAP_TOTAL) | (1 << HEAP_USED))) != 0) {
            if (accKind == LogData.KIND_INSPECT_BLOCK && (accMask & 0b1111) != 0b1111) {
                StringBuilder missing = new StringBuilder();
                for (int f = 0; f < 4; f++) {
                    if ((accMask & (1 << f)) == 0) {
                        missing.append(missing.length() == 0 ? "" : ", ").append(FIELDS[f]);
                    }
                }
                d.warn(file, accLine, accOffset, "memoryUsage sample without " + missing, "");
            }
            d.memFile.add(file);
            d.memLine.add(accLine);
            d.memTime.add(accTime);
            for (int f = 0; f < 5; f++) {
                d.mem[f].add((accMask & (1 << f)) != 0 ? acc[f] : Long.MIN_VALUE);
            }
            d.kinds[accKind == 0 ? LogData.KIND_KEY_VALUE : accKind]++;
        }
        accMask = 0;
        accTime = NONE;
        accKind = 0;
    }

    private void endOfFile() {
        if (accMask != 0) {
            if (accOpen) {
                warn(lineOffset, "file ends inside a memoryUsage block", new byte[0], 0, 0);
            }
            emitMemory();
        }
        accOpen = false;
    }

    // ------------------------------------------------------------------ JSON lines

    private final JsonFields json = new JsonFields();

    private void jsonLine(byte[] b, int s, int e, long ts) {
        JsonFields j = json;
        j.reset();
        try (JsonParser jp = JSON.createParser(b, s, e - s)) {
            j.read(jp);
        } catch (IOException | RuntimeException ex) {
            if (j.memMask != 0 || j.elu == j.elu) {
                warn(lineOffset, "malformed JSON line: " + firstLine(ex.getMessage()), b, s, e);
            } else {
                d.kinds[LogData.KIND_OTHER]++;
            }
            return;
        }
        long t = ts != NONE ? ts : j.time;
        if (t != NONE && ts == NONE) {
            noteTime(t);
        }
        boolean used = false;
        if ((j.memMask & ((1 << RSS) | (1 << HEAP_TOTAL) | (1 << HEAP_USED))) != 0) {
            if (accMask != 0) {
                emitMemory();
            }
            d.memFile.add(file);
            d.memLine.add(lineNo);
            d.memTime.add(t);
            for (int f = 0; f < 5; f++) {
                d.mem[f].add((j.memMask & (1 << f)) != 0 ? j.mem[f] : Long.MIN_VALUE);
            }
            d.kinds[LogData.KIND_JSON_MEMORY]++;
            used = true;
        }
        if (j.heapLimit > 0) {
            d.heapLimit = Math.max(d.heapLimit, j.heapLimit);
        }
        if (j.hasLoop()) {
            d.loopFile.add(file);
            d.loopLine.add(lineNo);
            d.loopTime.add(t);
            d.loopElu.add(j.elu);
            for (int k = 0; k < LogData.DELAY_STATS; k++) {
                d.loopDelay[k].add(j.delay[k]);
            }
            d.kinds[LogData.KIND_JSON_EVENT_LOOP]++;
            used = true;
        }
        if (j.isError()) {
            d.addError(file, lineNo, t, j.errorCode(), j.errorMessage());
            used = true;
        }
        if (!used) {
            d.kinds[LogData.KIND_OTHER]++;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    /** The fields of one JSON line that matter here, read with Jackson's streaming parser. */
    static final class JsonFields {
        final long[] mem = new long[5];
        int memMask;
        long time;
        double elu;
        final double[] delay = new double[LogData.DELAY_STATS];
        long heapLimit;
        int level;
        String levelName;
        String code;
        String errMessage;
        String msg;
        boolean errObject;
        private final String[] stack = new String[16];

        void reset() {
            memMask = 0;
            time = NONE;
            elu = Double.NaN;
            Arrays.fill(delay, Double.NaN);
            heapLimit = 0;
            level = 0;
            levelName = null;
            code = null;
            errMessage = null;
            msg = null;
            errObject = false;
        }

        boolean hasLoop() {
            if (elu == elu) {
                return true;
            }
            for (double v : delay) {
                if (v == v) {
                    return true;
                }
            }
            return false;
        }

        boolean isError() {
            return errObject || level >= 50
                    || (levelName != null && (levelName.equalsIgnoreCase("error") || levelName.equalsIgnoreCase("fatal")))
                    || (code != null && KNOWN_CODES.contains(code));
        }

        String errorCode() {
            if (code != null) {
                return code;
            }
            String m = errorMessage();
            return m == null ? "" : codeIn(m);
        }

        String errorMessage() {
            return errMessage != null ? errMessage : msg != null ? msg : "";
        }

        void read(JsonParser jp) throws IOException {
            int depth = 0;
            String field = null;
            JsonToken t;
            while ((t = jp.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT:
                    case START_ARRAY:
                        if (depth > 0 && depth < stack.length) {
                            stack[depth] = field;
                        }
                        if (depth == 1 && field != null && (field.equals("err") || field.equals("error"))
                                && t == JsonToken.START_OBJECT) {
                            errObject = true;
                        }
                        depth++;
                        field = null;
                        break;
                    case END_OBJECT:
                    case END_ARRAY:
                        depth--;
                        break;
                    case FIELD_NAME:
                        field = jp.currentName();
                        break;
                    case VALUE_NUMBER_INT:
                    case VALUE_NUMBER_FLOAT:
                        number(depth, field, jp.getDoubleValue());
                        break;
                    case VALUE_STRING:
                        if (field != null && wantsString(depth, field)) {
                            string(depth, field, jp.getText());
                        }
                        break;
                    default:
                        break;
                }
            }
        }

        /** Whether a string value can matter: times, levels, messages, codes, or a number with a unit ("40 MB"). */
        private boolean wantsString(int depth, String key) {
            if (depth == 1) {
                switch (key) {
                    case "time": case "timestamp": case "@timestamp": case "ts": case "date": case "level": case "severity":
                    case "levelname": case "msg": case "message": case "code":
                        return true;
                    default:
                        break;
                }
            }
            if (depth == 2) {
                String par = parent(depth);
                if ("err".equals(par) || "error".equals(par)) {
                    return true;
                }
            }
            Role r = roles.get(key);
            if (r == null) {
                r = classify(key);
                roles.put(key, r);
            }
            return r.kind != R_NONE;
        }

        private String parent(int depth) {
            return depth >= 2 && depth - 1 < stack.length ? stack[depth - 1] : null;
        }

        private void number(int depth, String key, double v) {
            if (key == null) {
                return;
            }
            if (depth == 1 && key.equals("time")) {
                time = epochMillis(v);
                return;
            }
            if (depth == 1 && key.equals("level")) {
                level = (int) v;
                return;
            }
            metric(depth, key, v);
        }

        private final Amounts amounts = new Amounts();

        private void string(int depth, String key, String v) {
            if (key == null) {
                return;
            }
            if (depth == 1) {
                switch (key) {
                    case "time": case "timestamp": case "@timestamp": case "ts": case "date":
                        long t = Timestamps.parseString(v);
                        if (t != NONE) {
                            time = t;
                        }
                        return;
                    case "level": case "severity": case "levelname":
                        levelName = v;
                        return;
                    case "msg": case "message":
                        msg = v;
                        return;
                    case "code":
                        code = v;
                        return;
                    default:
                        break;
                }
            }
            String par = parent(depth);
            if (depth == 2 && ("err".equals(par) || "error".equals(par))) {
                if (key.equals("code")) {
                    code = v;
                } else if (key.equals("message")) {
                    errMessage = v;
                }
                return;
            }
            if (v.isEmpty() || !(Character.isDigit(v.charAt(0)) || v.charAt(0) == '-')) {
                return;
            }
            byte[] bb = v.getBytes(StandardCharsets.ISO_8859_1);
            double x = amounts.parse(bb, 0, bb.length);
            if (x == x) {
                metric(depth, key, x);
            }
        }

        /** What a JSON key means, decided once per distinct key name (Jackson interns names). */
        private record Role(int kind, int index, double scale) {
        }

        private static final int R_NONE = 0, R_MEM = 1, R_LIMIT = 2, R_ELU = 3, R_DELAY = 4;
        private static final Role NONE_ROLE = new Role(R_NONE, 0, 1);
        private final Map<String, Role> roles = new HashMap<>();

        private void metric(int depth, String key, double v) {
            Role r = roles.get(key);
            if (r == null) {
                r = classify(key);
                roles.put(key, r);
            }
            switch (r.kind) {
                case R_MEM:
                    mem[r.index] = Math.round(v * r.scale);
                    memMask |= 1 << r.index;
                    break;
                case R_LIMIT:
                    heapLimit = Math.round(v * r.scale);
                    break;
                case R_ELU:
                    elu = v > 1 && v <= 100 ? v / 100 : v;
                    break;
                case R_DELAY:
                    // an empty monitorEventLoopDelay histogram reports min = 2^63-1 ns: no sample, not a delay
                    delay[r.index] = v * r.scale > 1e9 ? Double.NaN : v * r.scale;
                    break;
                default:
                    break;
            }
        }

        private static Role classify(String key) {
            String k = normalize(key);
            double unit = 1;
            String base = k;
            if (k.endsWith("bytes")) {
                base = k.substring(0, k.length() - 5);
            } else if (k.endsWith("mb") || k.endsWith("mib")) {
                base = k.substring(0, k.length() - (k.endsWith("mb") ? 2 : 3));
                unit = 1024 * 1024;
            } else if (k.endsWith("kb")) {
                base = k.substring(0, k.length() - 2);
                unit = 1024;
            }
            int f = memoryField(base);
            if (f >= 0) {
                return new Role(R_MEM, f, unit);
            }
            if (base.equals("heapsizelimit")) {
                return new Role(R_LIMIT, 0, unit);
            }
            if (k.equals("elu") || k.equals("eventlooputilization") || k.equals("utilization") || k.equals("eluutilization")) {
                return new Role(R_ELU, 0, 1);
            }
            int at = k.indexOf("delay");
            int len = 5;
            if (at < 0) {
                at = k.indexOf("lag");
                len = 3;
            }
            if (at < 0) {
                return NONE_ROLE;
            }
            String rest = k.substring(0, at) + k.substring(at + len);
            double scale = 1;
            if (rest.endsWith("ms")) {
                rest = rest.substring(0, rest.length() - 2);
            } else if (rest.endsWith("ns")) {
                rest = rest.substring(0, rest.length() - 2);
                scale = 1e-6;
            } else if (rest.endsWith("us")) {
                rest = rest.substring(0, rest.length() - 2);
                scale = 1e-3;
            } else if (rest.endsWith("seconds")) {
                rest = rest.substring(0, rest.length() - 7);
                scale = 1000;
            } else if (rest.endsWith("sec")) {
                rest = rest.substring(0, rest.length() - 3);
                scale = 1000;
            }
            rest = rest.replace("eventloop", "");
            int stat;
            if (rest.isEmpty() || rest.equals("mean") || rest.equals("avg") || rest.equals("average")) {
                stat = LogData.MEAN;
            } else if (rest.equals("min")) {
                stat = LogData.MIN;
            } else if (rest.equals("max")) {
                stat = LogData.MAX;
            } else if (rest.equals("p50") || rest.equals("median")) {
                stat = LogData.P50;
            } else if (rest.equals("p90")) {
                stat = LogData.P90;
            } else if (rest.equals("p99")) {
                stat = LogData.P99;
            } else {
                return NONE_ROLE;
            }
            return new Role(R_DELAY, stat, scale);
        }

        private static int memoryField(String k) {
            for (String prefix : MEMORY_PREFIXES) {
                if (k.startsWith(prefix)) {
                    int f = memoryFieldExact(k.substring(prefix.length()));
                    if (f >= 0) {
                        return f;
                    }
                }
            }
            return memoryFieldExact(k);
        }

        private static final String[] MEMORY_PREFIXES = {"memoryusage", "memory", "mem", "process", "nodejs"};

        private static int memoryFieldExact(String k) {
            switch (k) {
                case "rss": return RSS;
                case "heaptotal": return HEAP_TOTAL;
                case "heapused": return HEAP_USED;
                case "external": return EXTERNAL;
                case "arraybuffers": return ARRAY_BUFFERS;
                default: return -1;
            }
        }

        static String normalize(String key) {
            int dot = key.lastIndexOf('.');
            StringBuilder sb = new StringBuilder(key.length());
            for (int i = dot + 1; i < key.length(); i++) {
                char c = key.charAt(i);
                if (c != '_' && c != '-') {
                    sb.append(Character.toLowerCase(c));
                }
            }
            return sb.toString();
        }

        private static long epochMillis(double v) {
            if (v < 1e11) {
                return Math.round(v * 1000); // seconds
            }
            if (v > 1e17) {
                return Math.round(v / 1e6); // nanoseconds
            }
            if (v > 1e14) {
                return Math.round(v / 1e3); // microseconds
            }
            return Math.round(v);
        }
    }

    // ------------------------------------------------------------------ errors

    static final Set<String> KNOWN_CODES = Set.of("EMFILE", "ENFILE", "ENOMEM", "ECONNRESET", "ECONNREFUSED",
            "ECONNABORTED", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "EADDRINUSE", "EADDRNOTAVAIL", "EACCES", "ENOENT",
            "EEXIST", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ENETDOWN", "EPERM", "EBADF", "EBUSY", "ENOSPC",
            "EISDIR", "ENOTDIR", "ENOTEMPTY", "EPROTO", "EINVAL", "EAGAIN", "EIO", "EROFS", "ENOBUFS", "ESRCH",
            "ECANCELED", "EHOSTDOWN", "ENOTCONN", "ESOCKETTIMEDOUT");

    /** The first errno-like code ({@code EMFILE}, {@code ERR_…}) in a text, or "". */
    static String codeIn(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return codeIn(b, 0, b.length);
    }

    private static String codeIn(byte[] b, int p, int e) {
        for (int i = p; i < e; i++) {
            if (b[i] != 'E' || (i > p && isIdent(b[i - 1]))) {
                continue;
            }
            int j = i + 1;
            while (j < e && ((b[j] >= 'A' && b[j] <= 'Z') || (b[j] >= '0' && b[j] <= '9') || b[j] == '_')) {
                j++;
            }
            if (j < e && isIdent(b[j])) {
                continue;
            }
            if (j - i >= 4) {
                String tok = new String(b, i, j - i, StandardCharsets.ISO_8859_1);
                if (KNOWN_CODES.contains(tok) || (tok.startsWith("ERR_") && tok.length() > 4)) {
                    return tok;
                }
            }
            i = j;
        }
        return "";
    }

    private boolean errorLine(byte[] b, int p, int e, long ts) {
        if (e - p > 3 && b[p] == 'a' && b[p + 1] == 't' && b[p + 2] == ' ') {
            return false; // a stack frame
        }
        String code = codeIn(b, p, e);
        boolean word = false;
        if (code.isEmpty()) {
            word = containsErrorWord(b, p, e);
            if (!word) {
                return false;
            }
        }
        if (code.isEmpty() && startsWith(b, p, e, "FATAL ERROR")) {
            code = "FATAL";
        }
        int n = Math.min(e - p, 400);
        String msg = new String(b, p, n, StandardCharsets.UTF_8).trim();
        long t = ts != NONE ? ts : NONE;
        d.addError(file, lineNo, t, code, msg);
        return true;
    }

    private static boolean containsErrorWord(byte[] b, int p, int e) {
        for (int i = p; i + 5 <= e; i++) {
            if (b[i] == 'E' && ((b[i + 1] == 'r' && b[i + 2] == 'r' && b[i + 3] == 'o' && b[i + 4] == 'r')
                    || (b[i + 1] == 'R' && b[i + 2] == 'R' && b[i + 3] == 'O' && b[i + 4] == 'R'))) {
                int j = i + 5;
                if (j == e || !((b[j] >= 'a' && b[j] <= 'z') || (b[j] >= 'A' && b[j] <= 'Z'))) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ trace-gc

    private final Map<Long, Integer> lastGcForPid = new HashMap<>();

    /** Parses every trace-gc record on the line (the OOM tail runs several together); false if none. */
    private boolean gcLine(byte[] b, int p, int e) {
        int start = p;
        boolean any = false;
        while (start >= 0 && start < e) {
            int next = nextGcStart(b, start + 1, e);
            int recEnd = next < 0 ? e : next;
            if (!gcRecord(b, start, recEnd)) {
                if (!any) {
                    return false;
                }
                warn(lineOffset, "unreadable --trace-gc record", b, start, recEnd);
            } else {
                any = true;
            }
            start = next;
        }
        return any;
    }

    private static int nextGcStart(byte[] b, int p, int e) {
        for (int i = p; i + 4 < e; i++) {
            if (b[i] == '[' && b[i + 1] >= '0' && b[i + 1] <= '9') {
                int j = i + 1;
                while (j < e && b[j] >= '0' && b[j] <= '9') {
                    j++;
                }
                if (j + 2 < e && b[j] == ':' && b[j + 1] == '0' && b[j + 2] == 'x') {
                    return i;
                }
            }
        }
        return -1;
    }

    private boolean gcRecord(byte[] b, int p, int e) {
        // [pid:0xisolate]   uptime ms: ...
        int q = p + 1;
        long pid = 0;
        while (q < e && b[q] >= '0' && b[q] <= '9') {
            pid = pid * 10 + (b[q] - '0');
            q++;
        }
        if (q + 2 >= e || b[q] != ':' || b[q + 1] != '0' || b[q + 2] != 'x') {
            return false;
        }
        q += 3;
        long isolate = 0;
        while (q < e && hex(b[q]) >= 0) {
            isolate = (isolate << 4) | hex(b[q]);
            q++;
        }
        if (q >= e || b[q] != ']') {
            return false;
        }
        q = skipSpaces(b, q + 1, e);
        double uptime = amounts.parse(b, q, e);
        if (uptime != uptime) {
            return false;
        }
        q = skipSpaces(b, amounts.pos, e);
        if (!startsWith(b, q, e, "ms:")) {
            return false;
        }
        q = skipSpaces(b, q + 3, e);
        if (startsWith(b, q, e, "pause=")) {
            return nvp(b, q, e, pid, isolate, uptime);
        }
        // type: text up to the first number
        int ts = q;
        while (q < e && !(b[q] >= '0' && b[q] <= '9')) {
            q++;
        }
        if (q >= e || q == ts) {
            return false;
        }
        int rawId = d.intern(b, ts, q);
        int typeInfo = typeInfo(rawId);
        if (typeInfo < 0) {
            return false;
        }
        boolean reduce = (typeInfo & TYPE_REDUCE) != 0;
        boolean full = (typeInfo & TYPE_FULL) != 0;
        int typeId = typeInfo >>> 2;
        // "12.3 (15.0) -> 11.0 (16.0) MB," — the committed sizes in parentheses are optional
        double before = amounts.parse(b, q, e);
        double committedBefore = amounts.parenthesised(b, skipSpaces(b, amounts.pos, e), e);
        q = skipSpaces(b, amounts.pos, e);
        if (!startsWith(b, q, e, "->")) {
            return false;
        }
        double after = amounts.parse(b, skipSpaces(b, q + 2, e), e);
        double committedAfter = amounts.parenthesised(b, skipSpaces(b, amounts.pos, e), e);
        q = skipSpaces(b, amounts.pos, e);
        if (before != before || after != after) {
            return false;
        }
        q = pastMbComma(b, q, e);
        if (startsWith(b, q, e, "pooled:")) { // newer V8: "pooled: 0.0 MB,"
            amounts.parse(b, skipSpaces(b, q + 7, e), e);
            q = pastMbComma(b, skipSpaces(b, amounts.pos, e), e);
        }
        double pause = amounts.parse(b, q, e);
        double external = Double.NaN;
        if (pause == pause) {
            q = skipSpaces(b, amounts.pos, e);
            if (q < e && b[q] == '/') {
                external = amounts.parse(b, skipSpaces(b, q + 1, e), e);
                q = amounts.pos;
            }
            q = skipSpaces(b, q, e);
            if (startsWith(b, q, e, "ms")) {
                q += 2;
            }
        }
        // the rest: "(+ 34.7 ms in 187 steps …)", "(average mu = 1.000, current mu = 1.000)", reason
        double incremental = Double.NaN, muAvg = Double.NaN, muCur = Double.NaN;
        int reason = EMPTY, collectorReason = EMPTY;
        while (q < e) {
            q = skipSpaces(b, q, e);
            if (q >= e) {
                break;
            }
            if (b[q] == '(') {
                int close = indexOf(b, (byte) ')', q, e);
                int end = close < 0 ? e : close;
                if (startsWith(b, q, e, "(+ ")) {
                    incremental = amounts.parse(b, q + 3, end);
                } else if (startsWith(b, q, e, "(average mu = ")) {
                    muAvg = amounts.parse(b, q + 14, end);
                    int cm = indexOfString(b, "current mu = ", q, end);
                    if (cm >= 0) {
                        muCur = amounts.parse(b, cm + 13, end);
                    }
                }
                q = close < 0 ? e : close + 1;
                continue;
            }
            int end = e;
            while (end > q && (b[end - 1] == ' ' || b[end - 1] == '.')) {
                end--;
            }
            if (end - q >= 2 && b[q] == '[' && b[end - 1] == ']') {
                q++;
                end--;
            }
            int semi = indexOf(b, (byte) ';', q, end);
            if (semi >= 0) {
                reason = d.intern(b, q, semi);
                collectorReason = d.intern(b, semi + 1, end);
            } else {
                reason = d.intern(b, q, end);
            }
            break;
        }
        return addGc(pid, isolate, uptime, typeId, full, reduce, before, committedBefore, after, committedAfter,
                pause, external, incremental, muAvg, muCur, reason, collectorReason, LogData.KIND_GC);
    }

    private boolean nvp(byte[] b, int q, int e, long pid, long isolate, double uptime) {
        double pause = Double.NaN, before = Double.NaN, after = Double.NaN;
        String gc = "";
        boolean reduce = false;
        while (q < e) {
            int ks = q;
            while (q < e && b[q] != '=' && b[q] != ' ') {
                q++;
            }
            if (q >= e || b[q] != '=') {
                q++;
                continue;
            }
            int ke = q;
            int vs = ++q;
            while (q < e && b[q] != ' ') {
                q++;
            }
            int klen = ke - ks;
            if (klen == 5 && startsWith(b, ks, ke, "pause")) {
                pause = amounts.parse(b, vs, q);
            } else if (klen == 2 && startsWith(b, ks, ke, "gc")) {
                gc = new String(b, vs, q - vs, StandardCharsets.ISO_8859_1);
            } else if (klen == 13 && startsWith(b, ks, ke, "reduce_memory")) {
                reduce = q > vs && b[vs] == '1';
            } else if (klen == 17 && startsWith(b, ks, ke, "total_size_before")) {
                before = amounts.parse(b, vs, q) / (1024 * 1024);
            } else if (klen == 16 && startsWith(b, ks, ke, "total_size_after")) {
                after = amounts.parse(b, vs, q) / (1024 * 1024);
            }
            q++;
        }
        String type;
        switch (gc) {
            case "s": type = "Scavenge"; break;
            case "ms": case "mc": type = "Mark-Compact"; break;
            case "mmc": case "minor_mc": type = "Minor Mark-Compact"; break;
            default: type = gc.isEmpty() ? "?" : gc; break;
        }
        if (pause != pause) {
            return false;
        }
        return addGc(pid, isolate, uptime, d.intern(type), type.equals("Mark-Compact"), reduce, before, Double.NaN, after,
                Double.NaN, pause, Double.NaN, Double.NaN, Double.NaN, Double.NaN, EMPTY, EMPTY, LogData.KIND_GC_NVP);
    }

    private static final int TYPE_FULL = 1, TYPE_REDUCE = 2;
    private final Map<Integer, Integer> typeInfos = new HashMap<>();
    private final int EMPTY;

    /** For a raw type text id ("Mark-Compact (reduce)"): base type id << 2 | reduce | full, or -1 if not a type. */
    private int typeInfo(int rawId) {
        Integer c = typeInfos.get(rawId);
        if (c == null) {
            String raw = d.strings.get(rawId);
            boolean ok = !raw.isEmpty() && Character.isLetter(raw.charAt(0));
            boolean reduce = raw.contains("(reduce)");
            int paren = raw.indexOf(" (");
            String type = paren > 0 ? raw.substring(0, paren) : raw;
            boolean full = (type.contains("Mark-Compact") || type.contains("Mark-sweep") || type.contains("Mark-Sweep"))
                    && !type.startsWith("Minor");
            c = ok ? (d.intern(type) << 2) | (reduce ? TYPE_REDUCE : 0) | (full ? TYPE_FULL : 0) : -1;
            typeInfos.put(rawId, c);
        }
        return c;
    }

    private boolean addGc(long pid, long isolate, double uptime, int type, boolean full, boolean reduce,
                          double before, double committedBefore, double after, double committedAfter, double pause,
                          double external, double incremental, double muAvg, double muCur, int reason,
                          int collectorReason, int kind) {
        if (inOomTail) {
            // the OOM tail repeats the last few GCs; keep only ones not seen before
            Integer last = lastGcForPid.get(pid);
            if (last != null) {
                for (int i = last; i >= 0 && i > last - 64; i--) {
                    if (d.gcPid.getLong(i) == pid && d.gcUptime.getDouble(i) == uptime) {
                        return true;
                    }
                }
            }
        }
        int row = d.gcPid.size();
        lastGcForPid.put(pid, row);
        d.gcFile.add(file);
        d.gcLine.add(lineNo);
        d.gcPid.add(pid);
        d.gcIsolate.add(isolate);
        d.gcUptime.add(uptime);
        d.gcType.add(type);
        d.gcFull.add(full ? 1 : 0);
        d.gcReduce.add(reduce ? 1 : 0);
        d.gcBefore.add(before);
        d.gcCommittedBefore.add(committedBefore);
        d.gcAfter.add(after);
        d.gcCommittedAfter.add(committedAfter);
        d.gcPause.add(pause);
        d.gcExternal.add(external);
        d.gcIncremental.add(incremental);
        d.gcMuAvg.add(muAvg);
        d.gcMuCur.add(muCur);
        d.gcReason.add(reason);
        d.gcCollectorReason.add(collectorReason);
        d.gcWall.add(lastTime == NONE ? NONE : lastTime - Math.round(uptime));
        d.kinds[kind]++;
        return true;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    // ------------------------------------------------------------------ helpers

    /** Past an optional {@code MB}, an optional {@code ','} and the spaces after them. */
    private static int pastMbComma(byte[] b, int p, int e) {
        if (startsWith(b, p, e, "MB")) {
            p += 2;
        }
        if (p < e && b[p] == ',') {
            p++;
        }
        return skipSpaces(b, p, e);
    }

    private static int skipSpaces(byte[] b, int p, int e) {
        while (p < e && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    private static boolean startsWith(byte[] b, int p, int e, String s) {
        if (e - p < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[p + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfString(byte[] b, String s, int p, int e) {
        for (int i = p; i + s.length() <= e; i++) {
            if (startsWith(b, i, e, s)) {
                return i;
            }
        }
        return -1;
    }

    private void warn(long offset, String message, byte[] b, int s, int e) {
        int n = Math.max(0, Math.min(e - s, 160));
        d.warn(file, lineNo, offset, message, n == 0 ? "" : new String(b, s, n, StandardCharsets.UTF_8));
    }
}
