package dev.leakscope.logs;

/**
 * ISO-8601 timestamps read straight from bytes, without allocating: {@code 2026-11-21T09:15:38.354Z},
 * {@code 2026-11-21 09:15:38,354}, {@code +01:00} / {@code +0100} offsets, any number of fraction digits.
 * A timestamp without a zone is taken as UTC.
 */
public final class Timestamps {

    /** Returned when there is no timestamp. */
    public static final long NONE = Long.MIN_VALUE;

    /** End offset (exclusive) of the timestamp last parsed by {@link #parse(byte[], int, int)}. */
    public int end;

    /** Epoch milliseconds of an ISO timestamp starting exactly at {@code b[p]}, or {@link #NONE}; sets {@link #end}. */
    public long parse(byte[] b, int p, int end) {
        if (end - p < 19) {
            return NONE;
        }
        int y = digits(b, p, 4);
        if (y < 0 || b[p + 4] != '-') {
            return NONE;
        }
        int mo = digits(b, p + 5, 2);
        if (mo < 1 || mo > 12 || b[p + 7] != '-') {
            return NONE;
        }
        int d = digits(b, p + 8, 2);
        byte sep = b[p + 10];
        if (d < 1 || d > 31 || (sep != 'T' && sep != ' ')) {
            return NONE;
        }
        int h = digits(b, p + 11, 2);
        int mi = digits(b, p + 14, 2);
        int s = digits(b, p + 17, 2);
        if (h < 0 || h > 23 || b[p + 13] != ':' || mi < 0 || mi > 59 || b[p + 16] != ':' || s < 0 || s > 60) {
            return NONE;
        }
        int q = p + 19;
        long millis = 0;
        if (q < end && (b[q] == '.' || b[q] == ',')) {
            q++;
            int scale = 100;
            int start = q;
            while (q < end && b[q] >= '0' && b[q] <= '9') {
                if (scale > 0) {
                    millis += (b[q] - '0') * scale;
                    scale /= 10;
                }
                q++;
            }
            if (q == start) {
                return NONE;
            }
        }
        long offsetMinutes = 0;
        if (q < end && (b[q] == 'Z' || b[q] == 'z')) {
            q++;
        } else if (q + 2 < end && (b[q] == '+' || b[q] == '-')) {
            int oh = digits(b, q + 1, 2);
            if (oh >= 0) {
                int sign = b[q] == '-' ? -1 : 1;
                q += 3;
                int om = 0;
                if (q < end && b[q] == ':') {
                    q++;
                }
                if (q + 1 < end + 1 && q + 2 <= end) {
                    int m2 = digits(b, q, 2);
                    if (m2 >= 0) {
                        om = m2;
                        q += 2;
                    }
                }
                offsetMinutes = sign * (oh * 60L + om);
            }
        }
        this.end = q;
        long days = daysFromCivil(y, mo, d);
        return ((days * 24 + h) * 60 + mi - offsetMinutes) * 60_000L + s * 1000L + millis;
    }

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /**
     * Epoch milliseconds of a syslog (RFC 3164) time starting at {@code b[p]} — {@code Nov 21 12:36:27}, the day
     * space-padded ({@code Nov  1}), optional fraction ({@code journalctl -o short-precise}) — which has no year: the
     * year is the one that puts it at or before {@code reference} (the file's modification time) and less than a
     * year earlier. Taken as UTC, like a zoneless ISO time. {@link #NONE} when it is not one; sets {@link #end}.
     */
    public long parseSyslog(byte[] b, int p, int end, long reference) {
        if (end - p < 15 || b[p + 3] != ' ' || b[p + 6] != ' ' || b[p + 9] != ':' || b[p + 12] != ':') {
            return NONE;
        }
        int mo = MONTHS.indexOf(new String(b, p, 3, java.nio.charset.StandardCharsets.ISO_8859_1));
        if (mo < 0 || mo % 3 != 0) {
            return NONE;
        }
        int d = b[p + 4] == ' ' ? digits(b, p + 5, 1) : digits(b, p + 4, 2);
        int h = digits(b, p + 7, 2), mi = digits(b, p + 10, 2), s = digits(b, p + 13, 2);
        if (d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) {
            return NONE;
        }
        int q = p + 15;
        long millis = 0;
        if (q < end && b[q] == '.') {
            int scale = 100;
            for (q++; q < end && b[q] >= '0' && b[q] <= '9'; q++) {
                millis += (b[q] - '0') * scale;
                scale /= 10;
            }
        }
        this.end = q;
        long year = java.time.Instant.ofEpochMilli(reference).atZone(java.time.ZoneOffset.UTC).getYear();
        long t = ((daysFromCivil(year, mo / 3 + 1, d) * 24 + h) * 60 + mi) * 60_000L + s * 1000L + millis;
        if (t > reference + 86_400_000L) { // December's lines in a file written in January
            t = ((daysFromCivil(year - 1, mo / 3 + 1, d) * 24 + h) * 60 + mi) * 60_000L + s * 1000L + millis;
        }
        return t;
    }

    private static int digits(byte[] b, int p, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int c = b[p + i] - '0';
            if (c < 0 || c > 9) {
                return -1;
            }
            v = v * 10 + c;
        }
        return v;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
    static long daysFromCivil(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /** Epoch milliseconds of an ISO timestamp in a string, or {@link #NONE}. */
    public static long parseString(String s) {
        byte[] b = s.trim().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return new Timestamps().parse(b, 0, b.length);
    }
}
