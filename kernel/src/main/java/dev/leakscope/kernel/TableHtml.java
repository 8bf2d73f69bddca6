package dev.leakscope.kernel;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.leakscope.Displayable;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table as HTML: the first and last {@value #EDGE} rows (all rows when there are at most
 * 2×{@value #EDGE}), a row count caption, every cell HTML-escaped; and text/plain (Tablesaw's own
 * head/tail print). Costs O(rows shown), so a 1 M-row table renders as fast as a 20-row one.
 */
final class TableHtml {

    static final int EDGE = 10;

    private TableHtml() {
    }

    static Map<String, String> bundle(Table t) {
        Map<String, String> b = new LinkedHashMap<>();
        b.put(Displayable.TEXT, text(t));
        b.put(Displayable.HTML, html(t));
        return b;
    }

    static String text(Table t) {
        String head = (t.name() == null || t.name().isEmpty() ? "table" : t.name())
                + String.format(" — %,d rows × %d columns%n", t.rowCount(), t.columnCount());
        return head + t.print(2 * EDGE);
    }

    static String html(Table t) {
        int rows = t.rowCount();
        int cols = t.columnCount();
        StringBuilder h = new StringBuilder(4096);
        h.append("<div class=\"leakscope-table\"><table class=\"dataframe\" border=\"1\">");
        h.append("<caption style=\"caption-side:top;text-align:left\">");
        if (t.name() != null && !t.name().isEmpty()) {
            h.append("<b>").append(escape(t.name())).append("</b> — ");
        }
        h.append(String.format("%,d rows × %d columns", rows, cols)).append("</caption><thead><tr>");
        for (int c = 0; c < cols; c++) {
            Column<?> col = t.column(c);
            h.append("<th title=\"").append(escape(col.type().name())).append("\">")
                    .append(escape(col.name())).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        if (rows <= 2 * EDGE) {
            rows(h, t, 0, rows);
        } else {
            rows(h, t, 0, EDGE);
            h.append("<tr>");
            for (int c = 0; c < cols; c++) {
                h.append("<td>…</td>");
            }
            h.append("</tr>");
            rows(h, t, rows - EDGE, rows);
        }
        h.append("</tbody></table></div>");
        return h.toString();
    }

    private static void rows(StringBuilder h, Table t, int from, int to) {
        int cols = t.columnCount();
        boolean[] numeric = new boolean[cols];
        for (int c = 0; c < cols; c++) {
            numeric[c] = t.column(c).type().name().matches("INTEGER|LONG|SHORT|DOUBLE|FLOAT");
        }
        for (int r = from; r < to; r++) {
            h.append("<tr>");
            for (int c = 0; c < cols; c++) {
                Column<?> col = t.column(c);
                h.append(numeric[c] ? "<td style=\"text-align:right\">" : "<td>");
                h.append(escape(col.getString(r))).append("</td>");
            }
            h.append("</tr>");
        }
    }

    /** Escapes &, <, >, " and ' for HTML text and attribute values. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                b.append(rep);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
