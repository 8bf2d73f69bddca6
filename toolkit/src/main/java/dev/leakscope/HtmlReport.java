package dev.leakscope;

import dev.leakscope.plot.FigureHtml;
import dev.leakscope.plot.PlotlyJs;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shareable post-mortem as ONE self-contained HTML file: sections of text, facts, tables and figures, with
 * plotly.js inline once (plots draw offline) and a PNG under every plot (it still reads where scripts are
 * stripped). Secrets are masked by default ({@link Redact}); {@link #redact(boolean) redact(false)} turns it off.
 * Immutable: every step returns a new report.
 * <pre>
 * HtmlReport.titled("orders-service OOM, 2026-11-21")
 *     .section("Memory").figure(Plots.memory(logs.memory(), logs.gc())).text("The post-GC floor rises…")
 *     .section("Strings").table("Most frequent", core.strings().countBy().first(20))
 *     .save("report.html");
 * </pre>
 */
public final class HtmlReport implements Displayable {

    /** Rows of a table shown in full; longer tables show their first rows and say how many were left out. */
    public static final int MAX_ROWS = 200;

    private sealed interface Part permits Paragraph, Facts, TablePart, FigurePart, Heading {
    }

    private record Heading(String title) implements Part {
    }

    private record Paragraph(String text, String cssClass) implements Part {
    }

    private record Facts(List<Map.Entry<String, String>> rows) implements Part {
    }

    private record TablePart(String caption, Table table) implements Part {
    }

    private record FigurePart(Figure figure) implements Part {
    }

    private final String title;
    private final List<Part> parts;
    private final boolean redact;

    private HtmlReport(String title, List<Part> parts, boolean redact) {
        this.title = title;
        this.parts = List.copyOf(parts);
        this.redact = redact;
    }

    /** An empty report with this title. */
    public static HtmlReport titled(String title) {
        return new HtmlReport(title, List.of(), true);
    }

    /**
     * The post-mortem {@link Report} as HTML: its sections, facts, tables and verdicts, plus the figures of its
     * data — the memory timeline (full GCs, post-GC floor trend, the leak verdict) under "Memory", GC pauses
     * under "Garbage collection", event-loop delay/ELU with blocked spans under "Event loop". Add more with
     * {@link #section}/{@link #figure}; redacted unless {@code .redact(false)}.
     */
    public static HtmlReport of(Report report) {
        return append(titled(report.title()), report, "");
    }

    /** Several reports (the demo's leaking and healthy runs) in one file; section titles are prefixed by each report's. */
    public static HtmlReport of(String title, Report... reports) {
        HtmlReport h = titled(title);
        for (Report r : reports) {
            h = append(h, r, r.title() + " — ");
        }
        return h;
    }

    private static HtmlReport append(HtmlReport h, Report r, String prefix) {
        Map<String, Table> data = r.data();
        Map<String, Figure> bySection = new LinkedHashMap<>();
        Table memory = data.get("memory");
        if (memory != null && memory.rowCount() > 0) {
            try {
                Figure f = Plots.memory(memory, data.get("gc"));
                if (r.leak() != null) {
                    f = f.annotate(r.leak().outcome().label() + ": " + r.leak().reason());
                }
                bySection.put("Memory", f);
            } catch (IllegalArgumentException e) {
                h = h.section(prefix + "Memory figure").text("No memory figure: " + e.getMessage());
            }
        }
        Table gc = data.get("gc");
        if (gc != null && gc.rowCount() > 0) {
            bySection.put("Garbage collection", Plots.gcPauses(gc));
        }
        Table loop = data.get("eventLoop");
        if (loop != null && loop.rowCount() > 0) {
            try {
                bySection.put("Event loop", Plots.eventLoop(loop, data.get("spans")));
            } catch (IllegalArgumentException e) {
                // samples without delay or ELU columns: the section's table says what there is
            }
        }
        for (Report.Section s : r.sections()) {
            h = h.section(prefix + s.title());
            String st = s.title().toLowerCase(java.util.Locale.ROOT);
            boolean verdictSection = st.contains("verdict") || st.equals("conclusion") || st.equals("event loop");
            boolean first = true;
            for (Report.Block b : s.blocks()) {
                if (b instanceof Report.Text t) {
                    h = verdictSection && first ? h.verdict(t.value().replaceFirst("^Conclusion: ", "")) : h.text(t.value());
                } else if (b instanceof Report.Facts f) {
                    h = h.facts(f.rows());
                } else if (b instanceof Report.TableBlock t) {
                    h = h.table(t.caption(), t.table());
                } else {
                    h = h.with(new Paragraph(b.text(), "pre"));
                }
                first = false;
            }
            Figure f = bySection.remove(s.title());
            if (f != null) {
                h = h.figure(f);
            }
        }
        if (!bySection.isEmpty()) {
            h = h.section(prefix + "Figures");
            for (Figure f : bySection.values()) {
                h = h.figure(f);
            }
        }
        return h;
    }

    private HtmlReport with(Part p) {
        List<Part> l = new ArrayList<>(parts);
        l.add(p);
        return new HtmlReport(title, l, redact);
    }

    /** Starts a new section (an {@code <h2>} and an entry in the contents). */
    public HtmlReport section(String title) {
        return with(new Heading(title));
    }

    /** A paragraph of text ({@code \n} breaks lines). */
    public HtmlReport text(String paragraph) {
        return with(new Paragraph(paragraph, null));
    }

    /** A highlighted verdict line (LEAK / NO LEAK / INCONCLUSIVE…), coloured by its first word. */
    public HtmlReport verdict(String line) {
        String u = line.toUpperCase(java.util.Locale.ROOT);
        String head = u.split(":", 2)[0];
        String css = head.contains("INCONCLUSIVE") ? "unsure"
                : head.startsWith("NO ") || head.equals("OK") || head.endsWith(" OK") || u.startsWith("NO MEMORY LEAK") ? "ok" : "bad";
        return with(new Paragraph(line, "verdict " + css));
    }

    /** Name/value facts as a two-column list. */
    public HtmlReport facts(List<Map.Entry<String, String>> rows) {
        return with(new Facts(List.copyOf(rows)));
    }

    /** Name/value facts as a two-column list, in the map's order. */
    public HtmlReport facts(Map<String, String> rows) {
        return facts(new ArrayList<>(new LinkedHashMap<>(rows).entrySet()));
    }

    /** A table with a caption (at most {@link #MAX_ROWS} rows are shown). */
    public HtmlReport table(String caption, Table t) {
        return with(new TablePart(caption, t));
    }

    /** A figure: interactive plot over its PNG. */
    public HtmlReport figure(Figure f) {
        return with(new FigurePart(f));
    }

    /** Whether secrets are masked when rendered (default true). */
    public HtmlReport redact(boolean on) {
        return new HtmlReport(title, parts, on);
    }

    public String title() {
        return title;
    }

    public boolean redacts() {
        return redact;
    }

    /** The report as one self-contained HTML page. */
    public String html() {
        boolean figures = parts.stream().anyMatch(p -> p instanceof FigurePart);
        StringBuilder b = new StringBuilder(figures ? 6_000_000 : 64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(mask(title)))
                .append("</title>\n<meta name=\"generator\" content=\"leakscope\">\n<style>\n").append(FigureHtml.CSS).append(CSS)
                .append("</style>\n");
        if (figures) {
            b.append(PlotlyJs.scriptTag());
        }
        b.append("</head>\n<body>\n");
        body(b, "s");
        return b.append("</body>\n</html>\n").toString();
    }

    /**
     * The report as an HTML fragment for a notebook output: the same body, styles scoped to it, plotly.js inline
     * only if no figure of this kernel session has carried it yet.
     */
    public String fragment() {
        boolean figures = parts.stream().anyMatch(p -> p instanceof FigurePart);
        StringBuilder b = new StringBuilder(figures ? 256 * 1024 : 32 * 1024);
        if (figures && PlotlyJs.claimSessionEmbed()) {
            b.append(PlotlyJs.scriptTag());
        }
        String id = "lsr" + Long.toHexString(System.nanoTime());
        b.append("<div class=\"leakscope-report\" id=\"").append(id).append("\">\n<style>\n");
        for (String rule : CSS.split("\n")) {
            if (!rule.isBlank()) {
                int brace = rule.indexOf('{');
                b.append('#').append(id).append(' ').append(rule.substring(0, brace).replace(",", ",#" + id + " "))
                        .append(rule.substring(brace)).append('\n');
            }
        }
        b.append("</style>\n");
        body(b, id + "-s");
        return b.append("</div>\n").toString();
    }

    private void body(StringBuilder b, String anchor) {
        b.append("<h1>").append(esc(mask(title))).append("</h1>\n");
        b.append("<p class=\"meta\">Written by leakscope on ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(redact ? ". Secrets (passwords in URLs, tokens, JWTs, API keys, cookies, e-mails) are masked."
                        : ". <strong>Not redacted: this report may contain secrets.</strong>")
                .append("</p>\n");
        List<String> headings = parts.stream().filter(p -> p instanceof Heading).map(p -> ((Heading) p).title()).toList();
        if (headings.size() > 2) {
            b.append("<nav><ul>\n");
            for (int i = 0; i < headings.size(); i++) {
                b.append("<li><a href=\"#").append(anchor).append(i).append("\">").append(esc(mask(headings.get(i)))).append("</a></li>\n");
            }
            b.append("</ul></nav>\n");
        }
        int section = 0;
        boolean open = false;
        for (Part p : parts) {
            if (p instanceof Heading h) {
                if (open) {
                    b.append("</section>\n");
                }
                b.append("<section id=\"").append(anchor).append(section++).append("\">\n<h2>").append(esc(mask(h.title()))).append("</h2>\n");
                open = true;
            } else if (p instanceof Paragraph t) {
                b.append(t.cssClass() == null ? "<p>" : "<p class=\"" + t.cssClass() + "\">")
                        .append(esc(mask(t.text())).replace("\n", "<br>\n")).append("</p>\n");
            } else if (p instanceof Facts f) {
                b.append("<table class=\"facts\">\n");
                for (var e : f.rows()) {
                    b.append("<tr><th>").append(esc(mask(e.getKey()))).append("</th><td>").append(esc(mask(e.getValue())))
                            .append("</td></tr>\n");
                }
                b.append("</table>\n");
            } else if (p instanceof TablePart t) {
                Table shown = t.table().rowCount() > MAX_ROWS ? t.table().first(MAX_ROWS) : t.table(); // mask only what is shown
                table(b, t.caption() == null ? null : mask(t.caption()), redact ? Redact.table(shown) : shown, t.table().rowCount());
            } else if (p instanceof FigurePart f) {
                b.append((redact ? f.figure().redact() : f.figure()).htmlFragment());
            }
        }
        if (open) {
            b.append("</section>\n");
        }
    }

    /** Writes {@link #html()} to {@code path} and returns the path. */
    public Path save(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(path, html(), StandardCharsets.UTF_8);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report to " + path, e);
        }
    }

    /** {@link #save(Path)} with a file name. */
    public Path save(String path) {
        return save(Path.of(path));
    }

    /** In a notebook: the report inline (figures interactive over their PNGs), and a one-line summary as text. */
    @Override
    public Map<String, String> mimeBundle() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TEXT, toString());
        m.put(HTML, fragment());
        return m;
    }

    @Override
    public String toString() {
        long sections = parts.stream().filter(p -> p instanceof Heading).count();
        long figures = parts.stream().filter(p -> p instanceof FigurePart).count();
        long tables = parts.stream().filter(p -> p instanceof TablePart).count();
        return "HtmlReport: " + title + " (" + sections + " sections, " + figures + " figures, " + tables + " tables"
                + (redact ? ", redacted" : ", NOT redacted") + "); .save(\"report.html\") writes it";
    }

    private String mask(String s) {
        return redact ? Redact.text(s) : s;
    }

    private static void table(StringBuilder b, String caption, Table t, int totalRows) {
        b.append("<div class=\"scroll\"><table class=\"data\">\n");
        if (caption != null && !caption.isEmpty()) {
            b.append("<caption>").append(esc(caption)).append("</caption>\n");
        }
        b.append("<thead><tr>");
        for (Column<?> c : t.columns()) {
            b.append("<th>").append(esc(c.name())).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        int n = Math.min(t.rowCount(), MAX_ROWS);
        for (int r = 0; r < n; r++) {
            b.append("<tr>");
            for (Column<?> c : t.columns()) {
                boolean num = c instanceof NumericColumn<?>;
                String v = c.isMissing(r) ? "" : c.getString(r);
                if (c instanceof StringColumn && v.length() > 300) {
                    v = v.substring(0, 299) + "…";
                }
                b.append(num ? "<td class=\"n\">" : "<td>").append(esc(v)).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table></div>\n");
        if (totalRows > n) {
            b.append("<p class=\"meta\">… ").append(totalRows - n).append(" more rows (").append(totalRows)
                    .append(" in all) not shown.</p>\n");
        }
    }

    static String esc(String s) {
        return FigureHtml.escape(s == null ? "" : s);
    }

    private static final String CSS = """
            h1{font-size:1.6em;margin-bottom:.2em}
            h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
            p.meta{color:#666;font-size:.9em}
            p.pre{white-space:pre-wrap;font-family:"DejaVu Sans Mono",monospace;font-size:.85em}
            p.verdict{font-weight:bold;padding:.4em .7em;border-left:5px solid #888;background:#f6f6f6}
            p.verdict.bad{border-color:#d62728;background:#fdecec}
            p.verdict.ok{border-color:#2ca02c;background:#edf7ed}
            p.verdict.unsure{border-color:#ff7f0e;background:#fff4e5}
            nav ul{columns:2;font-size:.95em}
            table{border-collapse:collapse;margin:.8em 0;font-size:.9em}
            td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            table.facts th{background:#f6f6f6;font-weight:normal;color:#444}
            table.data thead th{background:#f0f0f0}
            caption{text-align:left;font-style:italic;padding:.2em 0}
            td{max-width:60em;overflow-wrap:break-word}
            div.scroll{overflow-x:auto;max-width:100%}
            """;
}
