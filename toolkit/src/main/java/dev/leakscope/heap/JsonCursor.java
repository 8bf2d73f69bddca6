package dev.leakscope.heap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A forward-only JSON byte cursor for the bulk of a heap snapshot: the flat integer arrays ({@code nodes},
 * {@code edges}, {@code locations}) and the {@code strings} array, which are 95 % of the file. A dedicated digit
 * loop reads these several times faster than a general token stream; the small, nested header is still parsed by
 * jackson-core. Every position is a {@code long} byte offset, so files over 2 GB are fine and errors name where
 * they happened.
 */
final class JsonCursor {

    /** Malformed or truncated JSON at a byte offset. */
    static final class JsonError extends IOException {
        final long offset;

        JsonError(long offset, String message) {
            super(message);
            this.offset = offset;
        }
    }

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int lim;
    private long base; // offset of buf[0]
    private boolean eof;

    JsonCursor(InputStream in, int bufferSize) {
        this(in, bufferSize, 0);
    }

    /** A cursor over a stream that starts at byte {@code startOffset} of the file (offsets stay file offsets). */
    JsonCursor(InputStream in, int bufferSize, long startOffset) {
        this.in = in;
        this.buf = new byte[bufferSize];
        this.base = startOffset;
    }

    long offset() {
        return base + pos;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        base += lim;
        pos = 0;
        lim = 0;
        while (lim == 0) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                return false;
            }
            lim = n;
        }
        return true;
    }

    /** The next non-whitespace byte without consuming it, or -1 at end of input. */
    int peek() throws IOException {
        while (true) {
            while (pos < lim) {
                int c = buf[pos];
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    pos++;
                } else {
                    return c & 0xff;
                }
            }
            if (!fill()) {
                return -1;
            }
        }
    }

    /** Consumes the next non-whitespace byte, which must be {@code c}. */
    void expect(char c, String what) throws IOException {
        int b = peek();
        if (b != c) {
            throw new JsonError(offset(), "expected '" + c + "' " + what + ", found " + show(b));
        }
        pos++;
    }

    /** Consumes {@code c} if it is next; tells whether it was. */
    boolean consume(char c) throws IOException {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    static String show(int b) {
        if (b < 0) {
            return "end of file";
        }
        if (b >= 0x20 && b < 0x7f) {
            return "'" + (char) b + "'";
        }
        return String.format("byte 0x%02x", b);
    }

    /**
     * Reads one integer of an array and the separator after it; returns the value. {@link #arrayEnded} tells whether
     * the separator was ']'. Fractions and exponents are refused (the snapshot arrays hold integers only).
     */
    long nextInt() throws IOException {
        // fast path: digits and a separator, all in the buffer, no whitespace or sign
        int p = pos;
        if (lim - p > 24) {
            byte[] b = buf;
            int d = b[p] - '0';
            if (d >= 0 && d <= 9) {
                int start = p;
                long v = d;
                int stop = p + 18; // at most 18 digits, like the careful path
                while (++p < stop && (d = b[p] - '0') >= 0 && d <= 9) {
                    v = v * 10 + d;
                }
                byte sep = b[p];
                while ((sep == '\n' || sep == ' ' || sep == '\r' || sep == '\t') && p < lim - 1) {
                    sep = b[++p]; // V8 ends each node and edge record with "\n,"
                }
                if (sep == ',') {
                    numberAt = base + start;
                    pos = p + 1;
                    ended = false;
                    return v;
                }
                if (sep == ']') {
                    numberAt = base + start;
                    pos = p + 1;
                    ended = true;
                    return v;
                }
                p = start; // anything else: the careful path below
            }
        }
        return nextIntSlow();
    }

    private long nextIntSlow() throws IOException {
        int c = peek();
        numberAt = base + pos;
        boolean neg = false;
        if (c == '-') {
            neg = true;
            pos++;
            if (pos >= lim && !fill()) {
                throw new JsonError(offset(), "file ends inside a number");
            }
            c = buf[pos] & 0xff;
        }
        if (c < '0' || c > '9') {
            throw new JsonError(offset(), "expected an integer, found " + show(c));
        }
        long v = 0;
        int digits = 0;
        while (true) {
            if (pos >= lim && !fill()) {
                break;
            }
            int d = buf[pos];
            if (d < '0' || d > '9') {
                break;
            }
            v = v * 10 + (d - '0');
            pos++;
            if (++digits > 18) {
                throw new JsonError(offset(), "integer too long");
            }
        }
        int s = peek();
        if (s == ',') {
            pos++;
            ended = false;
        } else if (s == ']') {
            pos++;
            ended = true;
        } else if (s == '.' || s == 'e' || s == 'E') {
            throw new JsonError(offset(), "expected an integer, found a fraction or exponent");
        } else {
            throw new JsonError(offset(), "expected ',' or ']' after a number, found " + show(s));
        }
        return neg ? -v : v;
    }

    private boolean ended;
    private long numberAt;

    /** Byte offset where the value of the last {@link #nextInt()} started. */
    long numberOffset() {
        return numberAt;
    }

    /** Whether the last {@link #nextInt()} consumed the closing ']'. */
    boolean arrayEnded() {
        return ended;
    }

    /** Reads a JSON string (the cursor must be at its opening quote). */
    String readString() throws IOException {
        expect('"', "opening a string");
        int start = pos, end = asciiStringEnd();
        if (end < 0) {
            return readStringSlow();
        }
        pos = end + 1;
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * The fast path of a string read: the index of its closing quote when the string from {@code pos} is ASCII
     * without escapes and ends inside the buffer, else -1.
     */
    private int asciiStringEnd() {
        for (int i = pos; i < lim; i++) {
            int b = buf[i];
            if (b == '"') {
                return i;
            }
            if (b == '\\' || b < 0) {
                return -1;
            }
        }
        return -1;
    }

    /** Reads a JSON string into {@code table} (the cursor must be at its opening quote): ASCII is copied as bytes. */
    void readStringInto(StringTable table) throws IOException {
        expect('"', "opening a string");
        int start = pos, end = asciiStringEnd();
        if (end < 0) {
            table.add(readStringSlow());
            return;
        }
        pos = end + 1;
        table.addLatin1(buf, start, end - start);
    }

    private String readStringSlow() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        StringBuilder sb = null;
        while (true) {
            if (pos >= lim && !fill()) {
                throw new JsonError(offset(), "file ends inside a string");
            }
            int b = buf[pos++];
            if (b == '"') {
                String tail = raw.toString(StandardCharsets.UTF_8);
                return sb == null ? tail : sb.append(tail).toString();
            }
            if (b != '\\') {
                raw.write(b);
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(raw.toString(StandardCharsets.UTF_8));
            raw.reset();
            if (pos >= lim && !fill()) {
                throw new JsonError(offset(), "file ends inside a string escape");
            }
            int e = buf[pos++];
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        if (pos >= lim && !fill()) {
                            throw new JsonError(offset(), "file ends inside a \\u escape");
                        }
                        int h = Character.digit(buf[pos++], 16);
                        if (h < 0) {
                            throw new JsonError(offset() - 1, "bad hex digit in a \\u escape");
                        }
                        cp = cp * 16 + h;
                    }
                    sb.append((char) cp);
                }
                default -> throw new JsonError(offset() - 1, "bad string escape \\" + (char) e);
            }
        }
    }

    /** Skips one JSON value of any kind; if {@code copy} is not null, appends its bytes there. */
    void skipValue(ByteArrayOutputStream copy) throws IOException {
        int c = peek();
        if (c < 0) {
            throw new JsonError(offset(), "expected a value, found end of file");
        }
        long start = offset();
        if (c != '[' && c != '{' && c != '"') {
            while (true) {
                if (pos >= lim && !fill()) {
                    return;
                }
                int b = buf[pos];
                if (b == ',' || b == ']' || b == '}' || b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                    return;
                }
                if (copy != null) {
                    copy.write(b);
                }
                pos++;
            }
        }
        int depth = 0;
        boolean inString = false;
        boolean escape = false;
        while (true) {
            if (pos >= lim && !fill()) {
                throw new JsonError(offset(), "file ends inside the value that starts at 0x" + Long.toHexString(start));
            }
            int b = buf[pos++];
            if (copy != null) {
                copy.write(b);
            }
            if (inString) {
                if (escape) {
                    escape = false;
                } else if (b == '\\') {
                    escape = true;
                } else if (b == '"') {
                    inString = false;
                    if (depth == 0) {
                        return;
                    }
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '[' || b == '{') {
                depth++;
            } else if (b == ']' || b == '}') {
                if (--depth == 0) {
                    return;
                }
            }
        }
    }
}
