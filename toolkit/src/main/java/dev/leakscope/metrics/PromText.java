package dev.leakscope.metrics;

import dev.leakscope.LogFormatException;
import dev.leakscope.logs.Timestamps;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus text exposition format 0.0.4 and OpenMetrics 1.0, one or many scrapes in a file. A scrape ends at
 * {@code # EOF} or when a series appears a second time. A scrape's time is, in order of preference: the sample's
 * own timestamp (ms in 0.0.4, seconds in OpenMetrics), a timestamp in a comment before the scrape
 * ({@code # 2026-11-21T09:15:38Z}, {@code # scraped at 1795252539}), or the file's modification time for a
 * single scrape.
 */
public final class PromText {

    private static final Pattern EPOCH = Pattern.compile("\\b(1[0-9]{9}(?:\\.[0-9]+)?|1[0-9]{12})\\b");
    private static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?");

    private PromText() {
    }

    /** Whether the first non-empty lines look like an exposition. */
    public static boolean looksLike(String head) {
        for (String l : head.split("\n", 20)) {
            String s = l.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (s.startsWith("# HELP ") || s.startsWith("# TYPE ")) {
                return true;
            }
            if (s.startsWith("#")) {
                continue;
            }
            return s.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})?\\s+\\S+(\\s+\\S+)?");
        }
        return false;
    }

    /** Reads every scrape of the file; malformed lines fail with the line number. */
    public static Samples read(Path path, BufferedReader in, long fileTimeMs) throws IOException {
        Samples out = new Samples();
        String src = path.toString(); // the path as given, like Logs: two hosts' scrapes.prom stay apart
        int scrape = 0;
        long scrapeTime = Long.MIN_VALUE;
        long pendingCommentTime = Long.MIN_VALUE;
        boolean openMetrics = false;
        Set<String> seen = new HashSet<>();
        int firstOfScrape = 0;
        String line;
        long lineNo = 0;
        boolean any = false;
        java.util.List<String> lines = new java.util.ArrayList<>();
        while ((line = in.readLine()) != null) {
            lines.add(line);
            if (line.trim().equals("# EOF")) {
                openMetrics = true;
            }
        }
        for (String raw : lines) {
            lineNo++;
            String l = raw.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (l.startsWith("#")) {
                if (l.equals("# EOF")) {
                    scrape++;
                    seen.clear();
                    scrapeTime = Long.MIN_VALUE;
                    continue;
                }
                if (l.startsWith("# HELP") || l.startsWith("# TYPE") || l.startsWith("# UNIT")) {
                    continue;
                }
                long t = commentTime(l);
                if (t != Long.MIN_VALUE) {
                    pendingCommentTime = t;
                }
                continue;
            }
            int brace = l.indexOf('{');
            int sp = indexOfSpace(l, 0);
            String name;
            String labels = "";
            int rest;
            if (brace >= 0 && (sp < 0 || brace < sp)) {
                name = l.substring(0, brace);
                int close = closingBrace(l, brace);
                if (close < 0) {
                    throw new LogFormatException(path, -1, "line " + lineNo + ": unterminated label set: " + cut(l));
                }
                labels = canonicalLabels(l.substring(brace + 1, close));
                rest = close + 1;
            } else {
                if (sp < 0) {
                    throw new LogFormatException(path, -1, "line " + lineNo + ": expected 'name value', got: " + cut(l));
                }
                name = l.substring(0, sp);
                rest = sp;
            }
            String[] parts = l.substring(rest).trim().split("\\s+");
            if (parts.length == 0 || parts[0].isEmpty()) {
                throw new LogFormatException(path, -1, "line " + lineNo + ": no value: " + cut(l));
            }
            double v = parseValue(parts[0]);
            if (Double.isNaN(v) && !parts[0].equalsIgnoreCase("NaN")) {
                throw new LogFormatException(path, -1, "line " + lineNo + ": '" + parts[0] + "' is not a number: " + cut(l));
            }
            long ts = Long.MIN_VALUE;
            if (parts.length > 1 && !parts[1].startsWith("#")) {
                double t = Double.parseDouble(parts[1]);
                ts = openMetrics ? Math.round(t * 1000) : Math.round(t);
            }
            String key = name + "{" + labels + "}";
            if (!seen.add(key)) {
                scrape++;
                seen.clear();
                seen.add(key);
                scrapeTime = Long.MIN_VALUE;
            }
            if (scrapeTime == Long.MIN_VALUE && pendingCommentTime != Long.MIN_VALUE) {
                scrapeTime = pendingCommentTime;
                pendingCommentTime = Long.MIN_VALUE;
            }
            out.add(ts != Long.MIN_VALUE ? ts : scrapeTime, scrape, name, labels, v, src);
            any = true;
        }
        if (!any) {
            throw new LogFormatException(path, 0, "no samples in the exposition");
        }
        // a single scrape without any time: the file's modification time
        int scrapes = out.scrape.getInt(out.size() - 1) + 1;
        if (scrapes == 1 && fileTimeMs != Long.MIN_VALUE) {
            for (int i = 0; i < out.size(); i++) {
                if (out.timeMs.getLong(i) == Long.MIN_VALUE) {
                    out.timeMs.set(i, fileTimeMs);
                }
            }
        }
        return out;
    }

    private static String cut(String l) {
        return l.length() > 120 ? l.substring(0, 120) + "…" : l;
    }

    private static int indexOfSpace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    private static int closingBrace(String l, int open) {
        boolean q = false;
        for (int i = open + 1; i < l.length(); i++) {
            char c = l.charAt(i);
            if (q) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    q = false;
                }
            } else if (c == '"') {
                q = true;
            } else if (c == '}') {
                return i;
            }
        }
        return -1;
    }

    /** Labels without spaces and without a trailing comma, keys sorted: {@code a="1",b="x"}. */
    static String canonicalLabels(String inner) {
        java.util.TreeMap<String, String> m = new java.util.TreeMap<>();
        int i = 0;
        int n = inner.length();
        while (i < n) {
            while (i < n && (inner.charAt(i) == ' ' || inner.charAt(i) == ',')) {
                i++;
            }
            int eq = inner.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String k = inner.substring(i, eq).trim();
            int q = inner.indexOf('"', eq);
            if (q < 0) {
                break;
            }
            StringBuilder v = new StringBuilder();
            int j = q + 1;
            while (j < n && inner.charAt(j) != '"') {
                if (inner.charAt(j) == '\\' && j + 1 < n) {
                    v.append(inner.charAt(j)).append(inner.charAt(j + 1));
                    j += 2;
                    continue;
                }
                v.append(inner.charAt(j++));
            }
            m.put(k, v.toString());
            i = j + 1;
        }
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append("=\"").append(v).append('"'));
        return sb.toString();
    }

    static double parseValue(String s) {
        switch (s) {
            case "+Inf": case "Inf": case "+inf": return Double.POSITIVE_INFINITY;
            case "-Inf": case "-inf": return Double.NEGATIVE_INFINITY;
            case "NaN": case "nan": return Double.NaN;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
        }
    }

    private static long commentTime(String l) {
        Matcher m = ISO.matcher(l);
        if (m.find()) {
            long t = Timestamps.parseString(m.group());
            if (t != Timestamps.NONE) {
                return t;
            }
        }
        Matcher e = EPOCH.matcher(l);
        if (e.find()) {
            String g = e.group(1);
            double v = Double.parseDouble(g);
            return g.length() == 13 && !g.contains(".") ? (long) v : Math.round(v * 1000);
        }
        return Long.MIN_VALUE;
    }
}
