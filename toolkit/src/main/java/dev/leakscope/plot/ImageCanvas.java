package dev.leakscope.plot;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/** A {@link Canvas} over a headless Java2D image (no display needed). */
final class ImageCanvas implements Canvas {

    private final BufferedImage image;
    private final Graphics2D g;

    ImageCanvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }

    BufferedImage finish() {
        g.dispose();
        return image;
    }

    static Color color(String css) {
        if (css == null || !css.startsWith("#") || css.length() != 7) {
            return Color.DARK_GRAY;
        }
        return new Color(Integer.parseInt(css.substring(1), 16));
    }

    private void stroke(String color, double width, boolean dashed) {
        g.setColor(color(color));
        g.setStroke(dashed
                ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
                : new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }

    @Override
    public void fillRect(double x, double y, double w, double h, String color, double opacity) {
        Composite old = g.getComposite();
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) opacity));
        g.setColor(color(color));
        g.fill(new Rectangle2D.Double(x, y, w, h));
        g.setComposite(old);
    }

    @Override
    public void strokeRect(double x, double y, double w, double h, String color, double width) {
        stroke(color, width, false);
        g.draw(new Rectangle2D.Double(x, y, w, h));
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed) {
        stroke(color, width, dashed);
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(double[] xs, double[] ys, int n, String color, double width, boolean dashed) {
        if (n < 2) {
            return;
        }
        stroke(color, width, dashed);
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < n; i++) {
            p.lineTo(xs[i], ys[i]);
        }
        g.draw(p);
    }

    @Override
    public void marker(double x, double y, String symbol, double size, String color) {
        g.setColor(color(color));
        g.fill(StaticChart.glyph(symbol, x, y, size));
    }

    @Override
    public void text(double x, double y, String s, float size, String color, Anchor anchor, boolean bold, boolean vertical) {
        g.setColor(color(color));
        g.setFont(Canvas.font(size, bold));
        double w = g.getFontMetrics().getStringBounds(s, g).getWidth();
        double shift = anchor == Anchor.START ? 0 : anchor == Anchor.MIDDLE ? -w / 2 : -w;
        if (vertical) {
            AffineTransform old = g.getTransform();
            g.translate(x, y);
            g.rotate(-Math.PI / 2);
            g.drawString(s, (float) shift, 0f);
            g.setTransform(old);
        } else {
            g.drawString(s, (float) (x + shift), (float) y);
        }
    }

    static Ellipse2D circle(double x, double y, double size) {
        return new Ellipse2D.Double(x - size / 2, y - size / 2, size, size);
    }
}
