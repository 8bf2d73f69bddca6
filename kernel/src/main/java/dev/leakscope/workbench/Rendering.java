package dev.leakscope.workbench;

import dev.leakscope.Displayable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** How a cell's value and errors are shown: MIME bundles for values, the user's frames for exceptions. */
public final class Rendering {

    /** Rows of a table shown as HTML or text: the first and last half of this many. */
    public static final int PREVIEW_ROWS = 40;

    private Rendering() {
    }

    /** The representations of {@code value}: its own bundle if {@link Displayable}, HTML + text for tables. */
    public static Map<String, String> bundle(Object value) {
        Map<String, String> b = new LinkedHashMap<>();
        if (value instanceof Displayable d) {
            b.putAll(d.mimeBundle());
            b.putIfAbsent(Displayable.TEXT, String.valueOf(value));
        } else if (value instanceof Table t) {
            b.put(Displayable.TEXT, t.print(PREVIEW_ROWS));
            b.put(Displayable.HTML, html(t, PREVIEW_ROWS));
        } else {
            b.put(Displayable.TEXT, text(value));
        }
        return b;
    }

    /** A value as JShell would print it: strings quoted, everything else by {@code String.valueOf}. */
    public static String text(Object value) {
        if (value instanceof String s) {
            return '"' + s + '"';
        }
        if (value instanceof Character c) {
            return "'" + c + "'";
        }
        return String.valueOf(value);
    }

    /** {@code t} as an HTML table: the first and last {@code rows / 2} rows when longer, and its size. */
    public static String html(Table t, int rows) {
        StringBuilder sb = new StringBuilder("<table class=\"leakscope\">\n<thead><tr>");
        for (String c : t.columnNames()) {
            sb.append("<th>").append(escape(c)).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        int n = t.rowCount();
        int head = n <= rows ? n : rows / 2;
        int tailStart = n <= rows ? n : n - (rows - head);
        for (int r = 0; r < head; r++) {
            row(sb, t, r);
        }
        if (tailStart > head) {
            sb.append("<tr><td colspan=\"").append(t.columnCount()).append("\">… ")
                    .append(String.format("%,d", tailStart - head)).append(" more rows …</td></tr>\n");
            for (int r = tailStart; r < n; r++) {
                row(sb, t, r);
            }
        }
        sb.append("</tbody>\n</table>\n<p>").append(String.format("%,d rows × %d columns", n, t.columnCount()))
                .append("</p>\n");
        return sb.toString();
    }

    private static void row(StringBuilder sb, Table t, int r) {
        sb.append("<tr>");
        for (Column<?> c : t.columns()) {
            sb.append("<td>").append(escape(c.getString(r))).append("</td>");
        }
        sb.append("</tr>\n");
    }

    /** Escapes text for HTML element content and attribute values. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The frames of {@code t} (and its causes) that matter to the user: lines of JShell snippets (the failing
     * cell's as "cell line N", counted from {@code cellLine}, where the snippet starts in the cell), toolkit
     * frames, and the throwing frame; the rest is summarised as "… n more".
     */
    public static List<String> userFrames(Throwable t, int cellLine) {
        List<String> out = new ArrayList<>();
        boolean first = true;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (!first) {
                String kind = c instanceof jdk.jshell.EvalException ee ? ee.getExceptionClassName() : c.getClass().getName();
                out.add("Caused by: " + kind + (c.getMessage() == null ? "" : ": " + c.getMessage()));
            }
            StackTraceElement[] st = c.getStackTrace();
            int lastSnippet = -1;
            for (int i = 0; i < st.length; i++) {
                if (isSnippet(st[i])) {
                    lastSnippet = i;
                }
            }
            int skipped = 0;
            for (int i = 0; i < st.length; i++) {
                StackTraceElement e = st[i];
                boolean keep = i == 0 || isSnippet(e) || e.getClassName().startsWith("dev.leakscope.")
                        && !e.getClassName().startsWith("dev.leakscope.workbench.")
                        && !e.getClassName().startsWith("dev.leakscope.kernel.");
                if (!keep || i > Math.max(lastSnippet, 0) && lastSnippet >= 0) {
                    skipped++;
                    continue;
                }
                if (skipped > 0) {
                    out.add("… " + skipped + " more");
                    skipped = 0;
                }
                if (isSnippet(e) && i == lastSnippet && first) {
                    out.add("at cell line " + (cellLine + Math.max(e.getLineNumber(), 1) - 1));
                } else if (isSnippet(e)) {
                    out.add("at " + e.getMethodName() + " (jshell snippet " + e.getFileName() + ", line " + e.getLineNumber() + ")");
                } else {
                    out.add("at " + e);
                }
            }
            first = false;
        }
        return out;
    }

    private static boolean isSnippet(StackTraceElement e) {
        return e.getFileName() != null && e.getFileName().startsWith("#");
    }
}
