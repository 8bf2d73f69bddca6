package dev.leakscope;

import dev.leakscope.plot.Chart;
import dev.leakscope.plot.FigureHtml;
import dev.leakscope.plot.PlotlyJs;
import dev.leakscope.plot.PlotlyJson;
import dev.leakscope.plot.StaticChart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A plot, made by {@link Plots}. Immutable: {@link #title(String)}, {@link #size(int, int)},
 * {@link #annotate(String)} and {@link #redact()} return new figures. In Jupyter it renders inline (an
 * interactive plotly plot with a PNG fallback for viewers that strip scripts); {@link #save(Path)} writes a
 * self-contained HTML file (plotly.js inline, works offline), or a PNG/SVG by extension. It never opens a
 * browser or window.
 */
public final class Figure implements Displayable {

    private final Chart chart;
    private volatile byte[] png; // rendered once, on demand

    private Figure(Chart chart) {
        this.chart = Objects.requireNonNull(chart);
    }

    /** A figure of a chart model (for building figures {@link Plots} does not offer). */
    public static Figure of(Chart chart) {
        return new Figure(chart);
    }

    /** The model this figure draws: axes, series, bands and notes. */
    public Chart chart() {
        return chart;
    }

    /** The title, or "" when there is none. */
    public String title() {
        return chart.title();
    }

    /** This figure with another title. */
    public Figure title(String title) {
        return new Figure(chart.withTitle(title));
    }

    /** This figure at another size in pixels (the static image's size and the plot's height). */
    public Figure size(int width, int height) {
        return new Figure(chart.withSize(width, height));
    }

    /** This figure with a note in the top left of the plot area (a verdict, an explanation); {@code \n} breaks lines. */
    public Figure annotate(String text) {
        double fy = 0.97 - 0.12 * chart.notes().size();
        return new Figure(new Chart(chart.title(), chart.x(), chart.y(), chart.y2(), chart.series(), chart.bands(),
                concat(chart.notes(), new Chart.Note(0.01, Math.max(0.1, fy), text, null)), chart.width(), chart.height()));
    }

    private static <T> java.util.List<T> concat(java.util.List<T> a, T b) {
        java.util.List<T> l = new java.util.ArrayList<>(a);
        l.add(b);
        return l;
    }

    /** This figure with secrets in every label masked as {@link Redact#text(String)} does (category labels, titles, notes). */
    public Figure redact() {
        return new Figure(chart.mapText(Redact::text));
    }

    /** The plotly.js figure JSON: {@code {"data":[…],"layout":{…},"config":{…}}}. */
    public String json() {
        return PlotlyJson.of(chart);
    }

    /** The static rendering as PNG bytes (headless Java2D). */
    public byte[] png() {
        byte[] p = png;
        if (p == null) {
            p = StaticChart.png(chart);
            png = p;
        }
        return p.clone();
    }

    /** The static rendering as an SVG document. */
    public String svg() {
        return StaticChart.svg(chart);
    }

    /** An HTML fragment (PNG fallback + plotly plot) without plotly.js; the page must provide it. */
    public String htmlFragment() {
        return FigureHtml.fragment(chart, png());
    }

    /** A self-contained HTML page: plotly.js inline, the plot, the PNG fallback. About 5 MB; opens offline. */
    public String html() {
        return FigureHtml.page(chart.title().isEmpty() ? "leakscope figure" : chart.title(), htmlFragment());
    }

    /**
     * Writes the figure to {@code path}: {@code .png} a PNG, {@code .svg} an SVG, {@code .json} the plotly JSON,
     * anything else a self-contained HTML page. Never opens a browser. Returns the path.
     */
    public Path save(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (name.endsWith(".png")) {
                Files.write(path, png());
            } else if (name.endsWith(".svg")) {
                Files.writeString(path, svg(), StandardCharsets.UTF_8);
            } else if (name.endsWith(".json")) {
                Files.writeString(path, json(), StandardCharsets.UTF_8);
            } else {
                Files.writeString(path, html(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure to " + path, e);
        }
        return path;
    }

    /** {@link #save(Path)} with a file name. */
    public Path save(String path) {
        return save(Path.of(path));
    }

    /**
     * text/plain (a description), image/png (the static rendering) and text/html (the interactive plot over
     * the PNG). The first figure shown in a kernel session carries plotly.js inline (about 4.8 MB), later
     * ones use it from the page.
     */
    @Override
    public Map<String, String> mimeBundle() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TEXT, toString());
        m.put(PNG, Base64.getEncoder().encodeToString(png()));
        String fragment = htmlFragment();
        m.put(HTML, PlotlyJs.claimSessionEmbed() ? PlotlyJs.scriptTag() + fragment : fragment);
        return m;
    }

    /** Always embed plotly.js in the next figure shown (after its output was cleared, say). */
    public static void embedPlotlyAgain() {
        PlotlyJs.resetSessionEmbed();
    }

    /** The title and what is drawn: one line per series with its point count and range. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Figure: ").append(chart.title().isEmpty() ? "(untitled)" : chart.title());
        for (Chart.Series s : chart.series()) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (double v : s.y()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            b.append("\n  ").append(s.name()).append(": ").append(s.size()).append(s.size() == 1 ? " point" : " points");
            if (lo <= hi) {
                b.append(String.format(Locale.ROOT, ", %s .. %s", fmt(lo), fmt(hi)));
            }
        }
        if (!chart.bands().isEmpty()) {
            b.append("\n  ").append(chart.bands().size()).append(" shaded spans");
        }
        for (Chart.Note n : chart.notes()) {
            b.append("\n  note: ").append(n.text().replace("\n", " / "));
        }
        return b.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
