package dev.leakscope.metrics;

import dev.leakscope.LogFormatException;
import dev.leakscope.logs.Timestamps;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Grafana's "Download CSV": series joined by time ({@code "Time","series A","series B"}) or one row per point
 * ({@code "Series";"Time";"Value"}), comma or semicolon separated. Times are epoch ms/s or ISO/"yyyy-MM-dd HH:mm:ss"
 * (taken as UTC). A header like {@code process_resident_memory_bytes{instance="x"}} gives metric and labels.
 */
public final class GrafanaCsv {

    private GrafanaCsv() {
    }

    /** Whether the first line looks like a Grafana CSV header. */
    public static boolean looksLike(String firstLine) {
        String l = firstLine.replace("\"", "").trim();
        return l.startsWith("Time,") || l.startsWith("Time;") || l.startsWith("Series;") || l.startsWith("Series,")
                || l.startsWith("time,") || l.contains(",Time,") || l.contains(";Time;");
    }

    public static Samples read(Path path, List<String> lines) {
        if (lines.isEmpty()) {
            throw new LogFormatException(path, 0, "empty CSV");
        }
        String header = lines.get(0);
        char sep = header.indexOf(';') >= 0 && header.indexOf(',') < 0 ? ';' : ',';
        List<String> cols = split(header, sep);
        int timeCol = -1, seriesCol = -1, valueCol = -1;
        for (int i = 0; i < cols.size(); i++) {
            String c = cols.get(i).trim();
            if (c.equalsIgnoreCase("Time")) {
                timeCol = i;
            } else if (c.equalsIgnoreCase("Series")) {
                seriesCol = i;
            } else if (c.equalsIgnoreCase("Value")) {
                valueCol = i;
            }
        }
        if (timeCol < 0) {
            throw new LogFormatException(path, 0, "CSV without a Time column; header: " + header);
        }
        Samples out = new Samples();
        String src = path.toString(); // the path as given, like Logs: two hosts' scrapes.prom stay apart
        for (int r = 1; r < lines.size(); r++) {
            String line = lines.get(r);
            if (line.isBlank()) {
                continue;
            }
            List<String> f = split(line, sep);
            long t = time(f.size() > timeCol ? f.get(timeCol) : "");
            if (t == Long.MIN_VALUE) {
                throw new LogFormatException(path, -1, "line " + (r + 1) + ": cannot read the time '" + (f.size() > timeCol ? f.get(timeCol) : "") + "'");
            }
            if (seriesCol >= 0 && valueCol >= 0) {
                String[] nl = nameAndLabels(f.get(seriesCol));
                out.add(t, r - 1, nl[0], nl[1], number(f.size() > valueCol ? f.get(valueCol) : ""), src);
            } else {
                for (int c = 0; c < cols.size(); c++) {
                    if (c == timeCol || c >= f.size()) {
                        continue;
                    }
                    String[] nl = nameAndLabels(cols.get(c));
                    double v = number(f.get(c));
                    if (!f.get(c).isBlank()) {
                        out.add(t, r - 1, nl[0], nl[1], v, src);
                    }
                }
            }
        }
        return out;
    }

    static String[] nameAndLabels(String h) {
        h = h.trim();
        int b = h.indexOf('{');
        if (b > 0 && h.endsWith("}")) {
            return new String[]{h.substring(0, b).trim(), PromText.canonicalLabels(h.substring(b + 1, h.length() - 1))};
        }
        return new String[]{h, ""};
    }

    private static long time(String s) {
        s = s.trim();
        if (s.isEmpty()) {
            return Long.MIN_VALUE;
        }
        if (s.chars().allMatch(Character::isDigit)) {
            long v = Long.parseLong(s);
            return s.length() <= 10 ? v * 1000 : v;
        }
        return Timestamps.parseString(s);
    }

    private static double number(String s) {
        s = s.trim();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        // formatted values: "40.5 MB", "12.3%", "1.2 s"
        String[] parts = s.split("\\s+");
        double v;
        try {
            v = Double.parseDouble(parts[0].replace("%", ""));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
        if (parts.length > 1) {
            switch (parts[1]) {
                case "B": break;
                case "kB": case "KB": case "KiB": v *= 1024; break;
                case "MB": case "MiB": v *= 1024 * 1024; break;
                case "GB": case "GiB": v *= 1024.0 * 1024 * 1024; break;
                case "ms": v /= 1000; break;
                default: break;
            }
        }
        return v;
    }

    static List<String> split(String line, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (q) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        q = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                q = true;
            } else if (c == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
