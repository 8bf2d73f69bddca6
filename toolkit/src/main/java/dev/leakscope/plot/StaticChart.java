package dev.leakscope.plot;

import dev.leakscope.plot.Chart.Axis;
import dev.leakscope.plot.Chart.Band;
import dev.leakscope.plot.Chart.Kind;
import dev.leakscope.plot.Chart.Note;
import dev.leakscope.plot.Chart.Scale;
import dev.leakscope.plot.Chart.Series;

import javax.imageio.ImageIO;
import java.awt.Shape;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a {@link Chart} without a browser: the static fallback (PNG or SVG) a figure carries for viewers that
 * strip scripts (untrusted notebooks, GitHub, mail). Same data as the plotly figure: every series, band and
 * note, with axes, ticks, a legend and the title. Headless: needs fonts (fontconfig), never a display.
 */
public final class StaticChart {

    private static final String AXIS = "#444444";
    private static final String GRID = "#e5e5e5";
    private static final String TEXT = "#222222";
    private static final float TICK_FONT = 11f;
    private static final float TITLE_FONT = 15f;

    private final Chart c;
    private final boolean hbar;
    private final List<String> categories;
    private double x0, x1, y0, y1, z0, z1; // data ranges: x, y, y2
    private double left, right, top, bottom; // plot area in pixels
    private List<Double> xTicks, yTicks, zTicks;
    private double xStep;

    private StaticChart(Chart c) {
        this.c = c;
        this.hbar = c.series().stream().anyMatch(s -> s.kind() == Kind.HBAR);
        List<String> cats = new ArrayList<>();
        for (Series s : c.series()) {
            if (s.categorical()) {
                for (String k : s.categories()) {
                    if (!cats.contains(k)) {
                        cats.add(k);
                    }
                }
            }
        }
        this.categories = cats;
    }

    /** The chart as PNG bytes, {@code width × height} pixels. */
    public static byte[] png(Chart c) {
        ImageCanvas canvas = new ImageCanvas(c.width(), c.height());
        new StaticChart(c).draw(canvas);
        BufferedImage img = canvas.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The chart as a standalone SVG document. */
    public static String svg(Chart c) {
        SvgCanvas canvas = new SvgCanvas(c.width(), c.height());
        new StaticChart(c).draw(canvas);
        return canvas.finish();
    }

    // ---------------------------------------------------------------- layout

    private void ranges() {
        double[] xr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] yr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] zr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Series s : c.series()) {
            for (int i = 0; i < s.size(); i++) {
                double v = s.yAt(i);
                if (!Double.isFinite(v)) {
                    continue;
                }
                if (s.kind() == Kind.HBAR) {
                    widen(xr, v);
                    widen(xr, 0);
                } else {
                    widen(s.onY2() ? zr : yr, v);
                    if (s.kind() == Kind.BAR) {
                        widen(yr, 0);
                    }
                    if (!s.categorical() && Double.isFinite(s.xAt(i))) {
                        widen(xr, s.xAt(i));
                    }
                }
            }
        }
        if (!hbar) {
            for (Band b : c.bands()) {
                widen(xr, b.x0());
                widen(xr, b.x1());
            }
        }
        Axis xa = c.x();
        if (!Double.isNaN(xa.min())) {
            xr[0] = xa.min();
            xr[1] = xa.max();
        }
        if (!Double.isNaN(c.y().min())) {
            yr[0] = c.y().min();
            yr[1] = c.y().max();
        }
        if (c.y2() != null && !Double.isNaN(c.y2().min())) {
            zr[0] = c.y2().min();
            zr[1] = c.y2().max();
        }
        fix(xr, hbar || xa.scale() == Scale.LINEAR && Double.isNaN(xa.min()) && xr[0] >= 0 && xr[0] < 0.5 * xr[1]);
        fix(yr, !hbar && Double.isNaN(c.y().min()) && yr[0] >= 0);
        fix(zr, c.y2() != null && Double.isNaN(c.y2().min()) && zr[0] >= 0);
        x0 = xr[0];
        x1 = xr[1];
        y0 = yr[0];
        y1 = yr[1];
        z0 = zr[0];
        z1 = zr[1];
    }

    private static void widen(double[] r, double v) {
        r[0] = Math.min(r[0], v);
        r[1] = Math.max(r[1], v);
    }

    private static void fix(double[] r, boolean fromZero) {
        if (!(r[0] <= r[1])) {
            r[0] = 0;
            r[1] = 1;
        }
        if (fromZero && r[0] >= 0) {
            r[0] = 0;
        }
        if (r[0] == r[1]) {
            double d = r[0] == 0 ? 1 : Math.abs(r[0]) * 0.1;
            r[0] -= d;
            r[1] += d;
        }
    }

    private void layout() {
        int w = c.width(), h = c.height();
        top = c.title().isEmpty() ? 14 : 40;
        // legend rows below the x axis title
        int legendRows = legendRows(w - 40);
        bottom = h - (22 + (c.x().title().isEmpty() ? 0 : 18) + legendRows * 18 + 6);
        if (hbar) {
            double maxLabel = 0;
            for (String k : categories) {
                maxLabel = Math.max(maxLabel, Canvas.textWidth(PlotlyJson.label(k, PlotlyJson.MAX_LABEL), TICK_FONT, false));
            }
            left = Math.min(maxLabel, w * 0.42) + 14 + (c.y().title().isEmpty() ? 0 : 20);
            xTicks = niceTicks(x0, x1, Math.max(3, (int) ((w - left) / 90)));
            x0 = Math.min(x0, xTicks.get(0));
            x1 = Math.max(x1, xTicks.get(xTicks.size() - 1));
        } else {
            yTicks = niceTicks(y0, y1, Math.max(3, (int) ((bottom - top) / 45)));
            y0 = Math.min(y0, yTicks.get(0));
            y1 = Math.max(y1, yTicks.get(yTicks.size() - 1));
            left = widestLabel(yTicks) + 12 + (c.y().title().isEmpty() ? 0 : 22);
        }
        right = w - 20;
        if (c.y2() != null) {
            zTicks = niceTicks(z0, z1, Math.max(3, (int) ((bottom - top) / 45)));
            z0 = Math.min(z0, zTicks.get(0));
            z1 = Math.max(z1, zTicks.get(zTicks.size() - 1));
            right = w - (widestLabel(zTicks) + 12 + (c.y2().title().isEmpty() ? 0 : 22));
        }
        if (!hbar && c.x().scale() != Scale.CATEGORY && categories.isEmpty()) {
            int n = Math.max(2, (int) ((right - left) / 110));
            if (c.x().scale() == Scale.TIME) {
                xStep = timeStep((x1 - x0) / n);
                xTicks = new ArrayList<>();
                for (double t = Math.ceil(x0 / xStep) * xStep; t <= x1 + 1e-9; t += xStep) {
                    xTicks.add(t);
                }
            } else {
                xTicks = niceTicks(x0, x1, n);
                x0 = Math.min(x0, xTicks.get(0));
                x1 = Math.max(x1, xTicks.get(xTicks.size() - 1));
            }
        }
    }

    // ---------------------------------------------------------------- drawing

    private void draw(Canvas g) {
        ranges();
        layout();
        int w = c.width();
        // bands under everything
        if (!hbar) {
            for (Band b : c.bands()) {
                double a = Math.max(left, px(b.x0())), z = Math.min(right, px(b.x1()));
                if (z >= a) {
                    g.fillRect(a, top, Math.max(1.5, z - a), bottom - top, b.color() == null ? "#d62728" : b.color(), 0.22);
                }
            }
        }
        grid(g);
        for (Series s : c.series()) {
            series(g, s);
        }
        g.strokeRect(left, top, right - left, bottom - top, AXIS, 1);
        if (!c.title().isEmpty()) {
            g.text(w / 2.0, 26, fit(c.title(), TITLE_FONT, true, w - 20), TITLE_FONT, TEXT, Canvas.Anchor.MIDDLE, true, false);
        }
        for (Note n : c.notes()) {
            note(g, n);
        }
        legend(g);
    }

    private void grid(Canvas g) {
        float f = TICK_FONT;
        if (hbar) {
            for (double t : xTicks) {
                double x = px(t);
                g.line(x, top, x, bottom, t == 0 ? AXIS : GRID, 1, false);
                g.text(x, bottom + 15, num(t, xTicks), f, TEXT, Canvas.Anchor.MIDDLE, false, false);
            }
            double band = (bottom - top) / Math.max(1, categories.size());
            double labelSpace = left - 8 - (c.y().title().isEmpty() ? 0 : 20);
            for (int i = 0; i < categories.size(); i++) {
                String k = fit(PlotlyJson.label(categories.get(i), PlotlyJson.MAX_LABEL), f, false, labelSpace);
                g.text(left - 6, top + band * (i + 0.5) + 4, k, f, TEXT, Canvas.Anchor.END, false, false);
            }
        } else {
            for (double t : yTicks) {
                double y = py(t);
                g.line(left, y, right, y, GRID, 1, false);
                g.text(left - 6, y + 4, num(t, yTicks), f, TEXT, Canvas.Anchor.END, false, false);
            }
            if (c.y2() != null) {
                for (double t : zTicks) {
                    g.text(right + 6, pz(t) + 4, num(t, zTicks), f, TEXT, Canvas.Anchor.START, false, false);
                }
            }
            if (!categories.isEmpty()) {
                double band = (right - left) / categories.size();
                for (int i = 0; i < categories.size(); i++) {
                    String k = fit(PlotlyJson.label(categories.get(i), 24), f, false, band - 4);
                    g.text(left + band * (i + 0.5), bottom + 15, k, f, TEXT, Canvas.Anchor.MIDDLE, false, false);
                }
            } else {
                DateTimeFormatter fmt = timeFormat();
                for (double t : xTicks) {
                    double x = px(t);
                    g.line(x, top, x, bottom, GRID, 1, false);
                    String label = fmt != null ? fmt.format(Instant.ofEpochMilli((long) t)) : num(t, xTicks);
                    g.text(x, bottom + 15, label, f, TEXT, Canvas.Anchor.MIDDLE, false, false);
                }
            }
        }
        String xTitle = c.x().title();
        if (!xTitle.isEmpty()) {
            g.text((left + right) / 2, bottom + 33, xTitle, 12f, TEXT, Canvas.Anchor.MIDDLE, false, false);
        }
        if (!c.y().title().isEmpty()) {
            g.text(14, (top + bottom) / 2, fit(c.y().title(), 12f, false, bottom - top), 12f, TEXT, Canvas.Anchor.MIDDLE, false, true);
        }
        if (c.y2() != null && !c.y2().title().isEmpty()) {
            g.text(c.width() - 6, (top + bottom) / 2, fit(c.y2().title(), 12f, false, bottom - top), 12f, TEXT, Canvas.Anchor.MIDDLE, false, true);
        }
    }

    private void series(Canvas g, Series s) {
        String color = s.color() == null ? "#1f77b4" : s.color();
        switch (s.kind()) {
            case HBAR -> {
                List<Series> bars = c.series().stream().filter(t -> t.kind() == Kind.HBAR).toList();
                int k = bars.indexOf(s);
                double band = (bottom - top) / Math.max(1, categories.size());
                double bh = band * 0.8 / bars.size();
                for (int i = 0; i < s.size(); i++) {
                    double v = s.yAt(i);
                    if (!Double.isFinite(v)) {
                        continue;
                    }
                    int row = categories.indexOf(s.categoryAt(i));
                    double y = top + band * row + band * 0.1 + bh * k;
                    double a = px(Math.min(0, v)), z = px(Math.max(0, v));
                    g.fillRect(a, y, Math.max(1, z - a), bh, color, 1);
                }
            }
            case BAR -> {
                if (s.categorical()) {
                    List<Series> bars = c.series().stream().filter(t -> t.kind() == Kind.BAR).toList();
                    int k = bars.indexOf(s);
                    double band = (right - left) / Math.max(1, categories.size());
                    double bw = band * 0.8 / bars.size();
                    for (int i = 0; i < s.size(); i++) {
                        double v = s.yAt(i);
                        if (Double.isFinite(v)) {
                            double x = left + band * categories.indexOf(s.categoryAt(i)) + band * 0.1 + bw * k;
                            double a = py(Math.max(0, v)), z = py(Math.min(0, v));
                            g.fillRect(x, a, bw, Math.max(1, z - a), color, 1);
                        }
                    }
                } else {
                    for (int i = 0; i < s.size(); i++) {
                        double v = s.yAt(i), x = s.xAt(i);
                        if (Double.isFinite(v) && Double.isFinite(x)) {
                            double a = s.onY2() ? pz(v) : py(v), z = s.onY2() ? pz(0) : py(0);
                            g.fillRect(px(x) - 1.5, Math.min(a, z), 3, Math.max(1, Math.abs(z - a)), color, 1);
                        }
                    }
                }
            }
            default -> {
                double[] xs = new double[s.size()], ys = new double[s.size()];
                int n = 0;
                for (int i = 0; i <= s.size(); i++) {
                    boolean ok = i < s.size() && Double.isFinite(s.yAt(i)) && (s.categorical() || Double.isFinite(s.xAt(i)));
                    if (ok) {
                        xs[n] = s.categorical() ? catX(s.categoryAt(i)) : clamp(px(s.xAt(i)), left, right);
                        double v = s.onY2() ? pz(s.yAt(i)) : py(s.yAt(i));
                        ys[n++] = clamp(v, top, bottom);
                    } else {
                        if (s.kind() != Kind.MARKERS) {
                            g.polyline(xs, ys, n, color, s.dashed() ? 2 : 1.6, s.dashed());
                        }
                        if (s.kind() != Kind.LINE) {
                            for (int j = 0; j < n; j++) {
                                g.marker(xs[j], ys[j], s.symbol(), s.kind() == Kind.MARKERS ? 9 : 5, color);
                            }
                        }
                        n = 0;
                    }
                }
            }
        }
    }

    private void note(Canvas g, Note n) {
        String[] lines = n.text().split("\n");
        float f = 12f;
        double w = 0;
        for (String l : lines) {
            w = Math.max(w, Canvas.textWidth(l, f, false));
        }
        w = Math.min(w, right - left - 10);
        double h = lines.length * 16 + 6;
        double x = left + (right - left) * n.fx() - (n.fx() > 0.5 ? w + 10 : 0);
        double y = bottom - (bottom - top) * n.fy() - (n.fy() > 0.5 ? 0 : h);
        x = clamp(x, left + 2, Math.max(left + 2, right - w - 12));
        y = clamp(y, top + 2, Math.max(top + 2, bottom - h - 2));
        String color = n.color() == null ? TEXT : n.color();
        g.fillRect(x, y, w + 10, h, "#ffffff", 0.88);
        g.strokeRect(x, y, w + 10, h, color, 1);
        for (int i = 0; i < lines.length; i++) {
            g.text(x + 5, y + 16 * (i + 1), fit(lines[i], f, false, w), f, color, Canvas.Anchor.START, false, false);
        }
    }

    private List<Map.Entry<String, String>> legendItems() {
        Map<String, String> items = new LinkedHashMap<>();
        if (c.series().size() > 1 || !c.bands().isEmpty()) {
            for (Series s : c.series()) {
                items.putIfAbsent(s.name(), s.color() == null ? "#1f77b4" : s.color());
            }
        }
        for (Band b : c.bands()) {
            if (b.label() != null) {
                items.putIfAbsent(b.label(), b.color() == null ? "#d62728" : b.color());
            }
        }
        return new ArrayList<>(items.entrySet());
    }

    /** The width of the widest of the labels of {@code ticks} on a value axis. */
    private static double widestLabel(List<Double> ticks) {
        double widest = 0;
        for (double t : ticks) {
            widest = Math.max(widest, Canvas.textWidth(num(t, ticks), TICK_FONT, false));
        }
        return widest;
    }

    /** The width a legend entry takes: swatch, text, gap. */
    private static double legendItemWidth(String text) {
        return 18 + Canvas.textWidth(text, TICK_FONT, false) + 16;
    }

    private int legendRows(double width) {
        List<Map.Entry<String, String>> items = legendItems();
        if (items.isEmpty()) {
            return 0;
        }
        int rows = 1;
        double x = 0;
        for (var e : items) {
            double iw = legendItemWidth(e.getKey());
            if (x > 0 && x + iw > width) {
                rows++;
                x = 0;
            }
            x += iw;
        }
        return rows;
    }

    private void legend(Canvas g) {
        List<Map.Entry<String, String>> items = legendItems();
        double x = 20, y = c.height() - legendRows(c.width() - 40) * 18 + 6;
        for (var e : items) {
            double iw = legendItemWidth(e.getKey());
            if (x > 20 && x + iw > c.width() - 20) {
                x = 20;
                y += 18;
            }
            g.fillRect(x, y - 9, 12, 10, e.getValue(), 1);
            g.text(x + 16, y, e.getKey(), TICK_FONT, TEXT, Canvas.Anchor.START, false, false);
            x += iw;
        }
    }

    // ---------------------------------------------------------------- scales and ticks

    private double px(double v) {
        return left + (v - x0) / (x1 - x0) * (right - left);
    }

    private double py(double v) {
        return bottom - (v - y0) / (y1 - y0) * (bottom - top);
    }

    private double pz(double v) {
        return bottom - (v - z0) / (z1 - z0) * (bottom - top);
    }

    private double catX(String k) {
        double band = (right - left) / Math.max(1, categories.size());
        return left + band * (categories.indexOf(k) + 0.5);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Ticks at 1, 2 or 5 × 10^k covering [lo, hi], about {@code n} of them. */
    static List<Double> niceTicks(double lo, double hi, int n) {
        double raw = (hi - lo) / Math.max(1, n);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= raw) {
                step = m * mag;
                break;
            }
        }
        List<Double> t = new ArrayList<>();
        double start = Math.floor(lo / step + 1e-9) * step;
        for (int i = 0; i < 1000; i++) {
            double v = start + i * step;
            t.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
            if (v >= hi - step * 1e-9) {
                break;
            }
        }
        return t;
    }

    private static final long[] TIME_STEPS = {
        1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
        600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
        172_800_000, 604_800_000L, 2_592_000_000L, 31_536_000_000L};

    static double timeStep(double raw) {
        for (long s : TIME_STEPS) {
            if (s >= raw) {
                return s;
            }
        }
        return TIME_STEPS[TIME_STEPS.length - 1];
    }

    private DateTimeFormatter timeFormat() {
        if (c.x().scale() != Scale.TIME) {
            return null;
        }
        String p = (x1 - x0) > 2 * 86_400_000d ? "MM-dd HH:mm" : xStep < 1000 ? "HH:mm:ss.SSS" : xStep < 60_000 ? "HH:mm:ss" : "HH:mm";
        return DateTimeFormatter.ofPattern(p, Locale.ROOT).withZone(ZoneOffset.UTC);
    }

    /** A tick label: the fewest decimals that tell ticks apart; k/M/G above ten thousand. */
    static String num(double v, List<Double> ticks) {
        double step = ticks.size() > 1 ? Math.abs(ticks.get(1) - ticks.get(0)) : Math.abs(v);
        double maxAbs = 0;
        for (double t : ticks) {
            maxAbs = Math.max(maxAbs, Math.abs(t));
        }
        String suffix = "";
        double scale = 1;
        if (maxAbs >= 1e10) {
            scale = 1e9;
            suffix = "G";
        } else if (maxAbs >= 1e7) {
            scale = 1e6;
            suffix = "M";
        } else if (maxAbs >= 1e4) {
            scale = 1e3;
            suffix = "k";
        }
        double s = step / scale;
        int decimals = s <= 0 || s >= 1 ? 0 : (int) Math.min(6, Math.ceil(-Math.log10(s) - 1e-9));
        if (s > 0 && s < 1 && Math.abs(s * Math.pow(10, decimals) - Math.rint(s * Math.pow(10, decimals))) > 1e-6) {
            decimals++;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v / scale) + suffix;
    }

    /** {@code s} cut with an ellipsis so it fits in {@code max} pixels. */
    private static String fit(String s, float size, boolean bold, double max) {
        if (Canvas.textWidth(s, size, bold) <= max) {
            return s;
        }
        int lo = 0, hi = s.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            if (Canvas.textWidth(s.substring(0, mid) + "…", size, bold) <= max) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return s.substring(0, lo) + "…";
    }

    /** The marker glyph shapes shared by both canvases. */
    static Shape glyph(String symbol, double x, double y, double size) {
        double r = size / 2;
        Path2D.Double p = new Path2D.Double();
        switch (symbol == null ? "circle" : symbol) {
            case "triangle-down" -> {
                p.moveTo(x - r, y - r * 0.8);
                p.lineTo(x + r, y - r * 0.8);
                p.lineTo(x, y + r);
                p.closePath();
            }
            case "triangle-up" -> {
                p.moveTo(x - r, y + r * 0.8);
                p.lineTo(x + r, y + r * 0.8);
                p.lineTo(x, y - r);
                p.closePath();
            }
            case "diamond" -> {
                p.moveTo(x, y - r);
                p.lineTo(x + r, y);
                p.lineTo(x, y + r);
                p.lineTo(x - r, y);
                p.closePath();
            }
            case "square" -> {
                p.moveTo(x - r * 0.8, y - r * 0.8);
                p.lineTo(x + r * 0.8, y - r * 0.8);
                p.lineTo(x + r * 0.8, y + r * 0.8);
                p.lineTo(x - r * 0.8, y + r * 0.8);
                p.closePath();
            }
            default -> {
                return ImageCanvas.circle(x, y, size * 0.8);
            }
        }
        return p;
    }
}
