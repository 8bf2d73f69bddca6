package dev.leakscope.plot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What a figure shows, independent of how it is drawn: axes, series, shaded bands, notes. One model, two
 * renderers — {@link PlotlyJson} (interactive, in a browser) and {@link StaticChart} (PNG/SVG, for viewers
 * that strip scripts) — so both always show the same data. Immutable; arrays are copied in and never exposed
 * for writing.
 */
public record Chart(String title, Axis x, Axis y, Axis y2, List<Series> series, List<Band> bands, List<Note> notes,
                    int width, int height) {

    /** How values on an axis are read. TIME values are epoch milliseconds shown as UTC date-times. */
    public enum Scale { LINEAR, TIME, CATEGORY }

    /** How a series is drawn. BAR is vertical bars over categories; HBAR horizontal bars (categories on y). */
    public enum Kind { LINE, MARKERS, LINE_MARKERS, BAR, HBAR }

    /** An axis: its title and scale; {@code min}/{@code max} NaN mean automatic. */
    public record Axis(String title, Scale scale, double min, double max) {
        public Axis {
            title = title == null ? "" : title;
            Objects.requireNonNull(scale);
        }

        public static Axis of(String title, Scale scale) {
            return new Axis(title, scale, Double.NaN, Double.NaN);
        }

        public Axis range(double lo, double hi) {
            return new Axis(title, scale, lo, hi);
        }
    }

    /**
     * One series. For LINE/MARKERS/BAR x holds numbers (or epoch ms) unless {@code categories} is set; for HBAR
     * the categories label the bars and {@code y} holds their lengths. NaN values are gaps.
     */
    public record Series(String name, Kind kind, double[] x, String[] categories, double[] y, String color,
                         boolean onY2, boolean dashed, String symbol) {
        public Series {
            Objects.requireNonNull(name);
            Objects.requireNonNull(kind);
            y = y.clone();
            x = x == null ? null : x.clone();
            categories = categories == null ? null : categories.clone();
            int n = categories != null ? categories.length : x.length;
            if (n != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + n + " x values but " + y.length + " y values");
            }
        }

        public static Series xy(String name, Kind kind, double[] x, double[] y, String color) {
            return new Series(name, kind, x, null, y, color, false, false, null);
        }

        public static Series categorical(String name, Kind kind, String[] categories, double[] y, String color) {
            return new Series(name, kind, null, categories, y, color, false, false, null);
        }

        public Series onSecondaryAxis() {
            return new Series(name, kind, x, categories, y, color, true, dashed, symbol);
        }

        public Series withDash() {
            return new Series(name, kind, x, categories, y, color, onY2, true, symbol);
        }

        /** A plotly marker symbol name ("triangle-down", "diamond"…); static rendering draws a matching glyph. */
        public Series withSymbol(String s) {
            return new Series(name, kind, x, categories, y, color, onY2, dashed, s);
        }

        public int size() {
            return y.length;
        }

        /** A copy of the x values (null for categorical series). */
        @Override
        public double[] x() {
            return x == null ? null : x.clone();
        }

        @Override
        public double[] y() {
            return y.clone();
        }

        @Override
        public String[] categories() {
            return categories == null ? null : categories.clone();
        }

        double xAt(int i) {
            return x[i];
        }

        double yAt(int i) {
            return y[i];
        }

        String categoryAt(int i) {
            return categories[i];
        }

        boolean categorical() {
            return categories != null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Series s && s.name.equals(name) && s.kind == kind && Arrays.equals(s.x, x)
                    && Arrays.equals(s.categories, categories) && Arrays.equals(s.y, y) && Objects.equals(s.color, color)
                    && s.onY2 == onY2 && s.dashed == dashed && Objects.equals(s.symbol, symbol);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, kind, Arrays.hashCode(x), Arrays.hashCode(categories), Arrays.hashCode(y), color);
        }

        @Override
        public String toString() {
            return "Series[" + name + ", " + kind + ", " + y.length + " points]";
        }
    }

    /** A shaded range of x (an event-loop block, an incident window), with an optional label. */
    public record Band(double x0, double x1, String color, String label) {
    }

    /** A text note pinned to the plot area: (fx, fy) are fractions of the plot area, 0..1 from bottom left. */
    public record Note(double fx, double fy, String text, String color) {
    }

    public Chart {
        title = title == null ? "" : title;
        Objects.requireNonNull(x);
        Objects.requireNonNull(y);
        series = List.copyOf(series);
        bands = List.copyOf(bands);
        notes = List.copyOf(notes);
        if (width < 100 || height < 80) {
            throw new IllegalArgumentException("figure size " + width + "x" + height + " is too small (min 100x80)");
        }
    }

    public Chart withTitle(String t) {
        return new Chart(t, x, y, y2, series, bands, notes, width, height);
    }

    public Chart withSize(int w, int h) {
        return new Chart(title, x, y, y2, series, bands, notes, w, h);
    }

    /** A copy with every piece of text (title, axis titles, series names, categories, band labels, notes) mapped. */
    public Chart mapText(UnaryOperator<String> f) {
        List<Series> ss = new ArrayList<>();
        for (Series s : series) {
            String[] cats = null;
            if (s.categories != null) {
                cats = new String[s.categories.length];
                java.util.Map<String, Integer> seen = new java.util.HashMap<>();
                for (int i = 0; i < cats.length; i++) {
                    String k = f.apply(s.categories[i]);
                    int n = seen.merge(k, 1, Integer::sum);
                    cats[i] = n == 1 ? k : k + " (" + n + ")"; // masking may make labels equal: keep the bars apart
                }
            }
            ss.add(new Series(f.apply(s.name), s.kind, s.x, cats, s.y, s.color, s.onY2, s.dashed, s.symbol));
        }
        List<Band> bs = bands.stream().map(b -> new Band(b.x0, b.x1, b.color, b.label == null ? null : f.apply(b.label))).toList();
        List<Note> ns = notes.stream().map(n -> new Note(n.fx, n.fy, f.apply(n.text), n.color)).toList();
        return new Chart(f.apply(title), axisText(x, f), axisText(y, f), y2 == null ? null : axisText(y2, f), ss, bs, ns, width, height);
    }

    private static Axis axisText(Axis a, UnaryOperator<String> f) {
        return new Axis(f.apply(a.title()), a.scale(), a.min(), a.max());
    }

    /** Builds a chart step by step (used by {@code Plots}). */
    public static final class Builder {
        private String title = "";
        private Axis x = Axis.of("", Scale.LINEAR);
        private Axis y = Axis.of("", Scale.LINEAR);
        private Axis y2;
        private final List<Series> series = new ArrayList<>();
        private final List<Band> bands = new ArrayList<>();
        private final List<Note> notes = new ArrayList<>();
        private int width = 900;
        private int height = 450;

        public Builder title(String t) {
            title = t;
            return this;
        }

        public Builder x(Axis a) {
            x = a;
            return this;
        }

        public Builder y(Axis a) {
            y = a;
            return this;
        }

        public Builder y2(Axis a) {
            y2 = a;
            return this;
        }

        public Builder add(Series s) {
            series.add(s);
            return this;
        }

        public Builder band(Band b) {
            bands.add(b);
            return this;
        }

        public Builder note(Note n) {
            notes.add(n);
            return this;
        }

        public Builder size(int w, int h) {
            width = w;
            height = h;
            return this;
        }

        public Chart build() {
            return new Chart(title, x, y, y2, series, bands, notes, width, height);
        }
    }

    public static Builder builder() {
        return new Builder();
    }
}
