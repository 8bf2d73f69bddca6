package dev.leakscope.plot;

import java.awt.Shape;
import java.awt.geom.PathIterator;
import java.util.Locale;

/** A {@link Canvas} writing SVG 1.1 text: plain elements, no scripts, no external references. */
final class SvgCanvas implements Canvas {

    private final StringBuilder b = new StringBuilder(64 * 1024);
    private final int width;
    private final int height;

    SvgCanvas(int width, int height) {
        this.width = width;
        this.height = height;
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    }

    String finish() {
        return b + "</svg>\n";
    }

    static String n(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String esc(String s) {
        StringBuilder o = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> o.append("&lt;");
                case '>' -> o.append("&gt;");
                case '&' -> o.append("&amp;");
                case '"' -> o.append("&quot;");
                default -> o.append(c < 0x20 && c != '\t' ? '·' : c);
            }
        }
        return o.toString();
    }

    private static String dash(boolean dashed) {
        return dashed ? " stroke-dasharray=\"6,4\"" : "";
    }

    @Override
    public void fillRect(double x, double y, double w, double h, String color, double opacity) {
        b.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" fill=\"").append(esc(color)).append('"');
        if (opacity < 1) {
            b.append(" fill-opacity=\"").append(n(opacity)).append('"');
        }
        b.append("/>\n");
    }

    @Override
    public void strokeRect(double x, double y, double w, double h, String color, double width) {
        b.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" fill=\"none\" stroke=\"").append(esc(color))
                .append("\" stroke-width=\"").append(n(width)).append("\"/>\n");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed) {
        b.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(esc(color)).append("\" stroke-width=\"")
                .append(n(width)).append('"').append(dash(dashed)).append("/>\n");
    }

    @Override
    public void polyline(double[] xs, double[] ys, int n, String color, double width, boolean dashed) {
        if (n < 2) {
            return;
        }
        b.append("<polyline fill=\"none\" stroke=\"").append(esc(color)).append("\" stroke-width=\"").append(n(width))
                .append("\" stroke-linejoin=\"round\"").append(dash(dashed)).append(" points=\"");
        for (int i = 0; i < n; i++) {
            b.append(n(xs[i])).append(',').append(n(ys[i])).append(i + 1 < n ? " " : "");
        }
        b.append("\"/>\n");
    }

    @Override
    public void marker(double x, double y, String symbol, double size, String color) {
        Shape s = StaticChart.glyph(symbol, x, y, size);
        b.append("<path fill=\"").append(esc(color)).append("\" d=\"");
        double[] c = new double[6];
        for (PathIterator it = s.getPathIterator(null, 0.5); !it.isDone(); it.next()) {
            switch (it.currentSegment(c)) {
                case PathIterator.SEG_MOVETO -> b.append('M').append(n(c[0])).append(',').append(n(c[1]));
                case PathIterator.SEG_LINETO -> b.append('L').append(n(c[0])).append(',').append(n(c[1]));
                case PathIterator.SEG_CLOSE -> b.append('Z');
                default -> { }
            }
        }
        b.append("\"/>\n");
    }

    @Override
    public void text(double x, double y, String s, float size, String color, Anchor anchor, boolean bold, boolean vertical) {
        b.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-size=\"").append(n(size))
                .append("\" fill=\"").append(esc(color)).append('"');
        if (anchor != Anchor.START) {
            b.append(" text-anchor=\"").append(anchor == Anchor.MIDDLE ? "middle" : "end").append('"');
        }
        if (bold) {
            b.append(" font-weight=\"bold\"");
        }
        if (vertical) {
            b.append(" transform=\"rotate(-90 ").append(n(x)).append(' ').append(n(y)).append(")\"");
        }
        b.append('>').append(esc(s)).append("</text>\n");
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }
}
