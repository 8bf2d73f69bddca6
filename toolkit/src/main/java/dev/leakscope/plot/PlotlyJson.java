package dev.leakscope.plot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.leakscope.plot.Chart.Axis;
import dev.leakscope.plot.Chart.Band;
import dev.leakscope.plot.Chart.Kind;
import dev.leakscope.plot.Chart.Note;
import dev.leakscope.plot.Chart.Scale;
import dev.leakscope.plot.Chart.Series;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;

/**
 * A {@link Chart} as a plotly.js figure: {@code {"data":[…],"layout":{…},"config":{…}}}. Written with
 * jackson's streaming generator; times as UTC {@code "yyyy-MM-dd HH:mm:ss.SSS"} strings (plotly's own date
 * format), gaps as {@code null}. The result is safe to put inside a {@code <script>} element: every
 * {@code <} is written as {@code \u003c}.
 */
public final class PlotlyJson {

    private static final JsonFactory JSON = new JsonFactory();
    static final DateTimeFormatter PLOTLY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    /** Longest category label drawn on an axis; the full text (up to {@link #MAX_HOVER}) shows on hover. */
    static final int MAX_LABEL = 60;
    static final int MAX_HOVER = 300;

    private PlotlyJson() {
    }

    /** The plotly figure JSON of {@code c}. */
    public static String of(Chart c) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeArrayFieldStart("data");
            for (Series s : c.series()) {
                trace(g, c, s);
            }
            g.writeEndArray();
            layout(g, c);
            g.writeObjectFieldStart("config");
            g.writeBooleanField("responsive", true);
            g.writeBooleanField("displaylogo", false);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString().replace("<", "\\u003c");
    }

    /**
     * Text as plotly shows it: plotly reads titles, names, labels and notes as a little HTML ({@code <br>},
     * {@code <b>}…), so a core string like {@code at <anonymous>} would lose its "tag"; {@code & < >} are written
     * as entities, which plotly turns back into the characters.
     */
    public static String text(String s) {
        if (s.indexOf('&') < 0 && s.indexOf('<') < 0 && s.indexOf('>') < 0) {
            return s;
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Shortens a category label for an axis: at most {@link #MAX_LABEL} characters, control characters shown as '·'. */
    public static String label(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max + 1));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char ch = s.charAt(i);
            b.append(ch < 0x20 || ch == 0x7f ? '·' : ch);
        }
        if (s.length() > max) {
            b.setLength(max - 1);
            b.append('…');
        }
        return b.toString();
    }

    private static void trace(JsonGenerator g, Chart c, Series s) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", text(s.name()));
        switch (s.kind()) {
            case LINE, MARKERS, LINE_MARKERS -> {
                g.writeStringField("type", "scatter");
                g.writeStringField("mode", s.kind() == Kind.LINE ? "lines" : s.kind() == Kind.MARKERS ? "markers" : "lines+markers");
                xValues(g, "x", c.x(), s);
                numbers(g, "y", s);
                if (s.kind() != Kind.MARKERS) {
                    g.writeObjectFieldStart("line");
                    color(g, s.color());
                    g.writeNumberField("width", s.dashed() ? 2 : 1.5);
                    if (s.dashed()) {
                        g.writeStringField("dash", "dash");
                    }
                    g.writeEndObject();
                }
                if (s.kind() != Kind.LINE) {
                    g.writeObjectFieldStart("marker");
                    color(g, s.color());
                    g.writeNumberField("size", s.kind() == Kind.MARKERS ? 9 : 5);
                    if (s.symbol() != null) {
                        g.writeStringField("symbol", s.symbol());
                    }
                    g.writeEndObject();
                }
            }
            case BAR -> {
                g.writeStringField("type", "bar");
                xValues(g, "x", c.x(), s);
                numbers(g, "y", s);
                g.writeObjectFieldStart("marker");
                color(g, s.color());
                g.writeEndObject();
            }
            case HBAR -> {
                g.writeStringField("type", "bar");
                g.writeStringField("orientation", "h");
                numbers(g, "x", s);
                String[] cats = s.categories();
                g.writeArrayFieldStart("y");
                for (String k : cats) {
                    g.writeString(text(label(k, MAX_LABEL)));
                }
                g.writeEndArray();
                g.writeArrayFieldStart("hovertext");
                for (String k : cats) {
                    g.writeString(text(label(k, MAX_HOVER)));
                }
                g.writeEndArray();
                g.writeObjectFieldStart("marker");
                color(g, s.color());
                g.writeEndObject();
            }
        }
        if (s.onY2()) {
            g.writeStringField("yaxis", "y2");
        }
        g.writeEndObject();
    }

    private static void color(JsonGenerator g, String color) throws IOException {
        if (color != null) {
            g.writeStringField("color", color);
        }
    }

    private static void xValues(JsonGenerator g, String field, Axis axis, Series s) throws IOException {
        g.writeArrayFieldStart(field);
        if (s.categorical()) {
            for (int i = 0; i < s.size(); i++) {
                g.writeString(text(label(s.categoryAt(i), MAX_LABEL)));
            }
        } else {
            for (int i = 0; i < s.size(); i++) {
                value(g, axis, s.xAt(i));
            }
        }
        g.writeEndArray();
    }

    private static void value(JsonGenerator g, Axis axis, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNull();
        } else if (axis.scale() == Scale.TIME) {
            g.writeString(time(v));
        } else {
            g.writeNumber(v);
        }
    }

    /** Epoch milliseconds as plotly's UTC date string. */
    public static String time(double epochMs) {
        long ms = (long) Math.floor(epochMs);
        return PLOTLY_TIME.format(Instant.ofEpochMilli(ms));
    }

    private static void numbers(JsonGenerator g, String field, Series s) throws IOException {
        g.writeArrayFieldStart(field);
        for (int i = 0; i < s.size(); i++) {
            double v = s.yAt(i);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                g.writeNull();
            } else {
                g.writeNumber(v);
            }
        }
        g.writeEndArray();
    }

    private static void layout(JsonGenerator g, Chart c) throws IOException {
        g.writeObjectFieldStart("layout");
        g.writeObjectFieldStart("title");
        g.writeStringField("text", text(c.title()));
        g.writeEndObject();
        g.writeNumberField("height", c.height());
        g.writeBooleanField("autosize", true);
        g.writeStringField("hovermode", "closest");
        g.writeObjectFieldStart("legend");
        g.writeStringField("orientation", "h");
        g.writeNumberField("y", -0.18);
        g.writeEndObject();
        g.writeObjectFieldStart("margin");
        g.writeNumberField("t", 50);
        g.writeNumberField("r", c.y2() != null ? 60 : 20);
        g.writeEndObject();
        boolean hbar = c.series().stream().anyMatch(s -> s.kind() == Kind.HBAR);
        g.writeFieldName("xaxis");
        axis(g, c.x(), false, false);
        g.writeFieldName("yaxis");
        axis(g, c.y(), false, hbar);
        if (c.y2() != null) {
            g.writeFieldName("yaxis2");
            axis(g, c.y2(), true, false);
        }
        if (c.series().stream().anyMatch(s -> s.kind() == Kind.BAR || s.kind() == Kind.HBAR)) {
            g.writeStringField("barmode", "group");
        }
        g.writeArrayFieldStart("shapes");
        Set<String> legended = new HashSet<>();
        for (Band b : c.bands()) {
            g.writeStartObject();
            g.writeStringField("type", "rect");
            g.writeStringField("xref", "x");
            g.writeStringField("yref", "paper");
            g.writeFieldName("x0");
            value(g, c.x(), b.x0());
            g.writeFieldName("x1");
            value(g, c.x(), b.x1());
            g.writeNumberField("y0", 0);
            g.writeNumberField("y1", 1);
            g.writeStringField("fillcolor", b.color() == null ? "#d62728" : b.color());
            g.writeNumberField("opacity", 0.18);
            g.writeStringField("layer", "below");
            g.writeObjectFieldStart("line");
            g.writeNumberField("width", 0);
            g.writeEndObject();
            if (b.label() != null) {
                g.writeStringField("name", text(b.label()));
                g.writeBooleanField("showlegend", legended.add(b.label()));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("annotations");
        for (Note n : c.notes()) {
            g.writeStartObject();
            g.writeStringField("xref", "paper");
            g.writeStringField("yref", "paper");
            g.writeNumberField("x", n.fx());
            g.writeNumberField("y", n.fy());
            g.writeStringField("xanchor", n.fx() > 0.5 ? "right" : "left");
            g.writeStringField("yanchor", n.fy() > 0.5 ? "top" : "bottom");
            g.writeStringField("text", text(n.text()).replace("\n", "<br>"));
            g.writeBooleanField("showarrow", false);
            g.writeStringField("align", "left");
            g.writeStringField("bgcolor", "rgba(255,255,255,0.85)");
            g.writeStringField("bordercolor", n.color() == null ? "#444" : n.color());
            g.writeNumberField("borderwidth", 1);
            g.writeObjectFieldStart("font");
            g.writeStringField("color", n.color() == null ? "#222" : n.color());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void axis(JsonGenerator g, Axis a, boolean secondary, boolean reversed) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("title");
        g.writeStringField("text", text(a.title()));
        g.writeEndObject();
        g.writeStringField("type", switch (a.scale()) {
            case LINEAR -> "linear";
            case TIME -> "date";
            case CATEGORY -> "category";
        });
        g.writeBooleanField("automargin", true);
        if (reversed) {
            g.writeStringField("autorange", "reversed");
        }
        if (!Double.isNaN(a.min()) && !Double.isNaN(a.max())) {
            g.writeArrayFieldStart("range");
            value(g, a, a.min());
            value(g, a, a.max());
            g.writeEndArray();
        } else if (a.scale() == Scale.LINEAR && !reversed) {
            g.writeStringField("rangemode", "tozero");
        }
        if (secondary) {
            g.writeStringField("overlaying", "y");
            g.writeStringField("tickmode", "auto");
            g.writeStringField("side", "right");
            g.writeBooleanField("showgrid", false);
        }
        g.writeEndObject();
    }
}
