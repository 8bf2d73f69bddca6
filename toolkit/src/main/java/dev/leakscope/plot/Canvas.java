package dev.leakscope.plot;

import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;

/**
 * The few drawing operations a static chart needs, so one layout ({@link StaticChart}) draws both a PNG
 * (Java2D, {@link ImageCanvas}) and an SVG ({@link SvgCanvas}). Coordinates are pixels from the top left;
 * colors are CSS hex strings ({@code #1f77b4}).
 */
interface Canvas {

    enum Anchor { START, MIDDLE, END }

    void fillRect(double x, double y, double w, double h, String color, double opacity);

    void strokeRect(double x, double y, double w, double h, String color, double width);

    void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed);

    /** A connected line through n points. */
    void polyline(double[] xs, double[] ys, int n, String color, double width, boolean dashed);

    /** A marker glyph centred on (x, y): "circle", "triangle-down", "triangle-up", "diamond", "square". */
    void marker(double x, double y, String symbol, double size, String color);

    /** Text whose baseline starts, centres or ends at (x, y), optionally rotated -90° (reading upwards). */
    void text(double x, double y, String s, float size, String color, Anchor anchor, boolean bold, boolean vertical);

    /** The font every canvas measures and draws with (DejaVu Sans on Debian, through the SansSerif alias). */
    static Font font(float size, boolean bold) {
        return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont(size);
    }

    FontRenderContext FRC = new FontRenderContext(new AffineTransform(), true, true);

    /** Width in pixels of {@code s} in the canvas font. */
    static double textWidth(String s, float size, boolean bold) {
        return font(size, bold).getStringBounds(s, FRC).getWidth();
    }
}
