package dev.leakscope.workbench;

import dev.leakscope.Displayable;
import dev.leakscope.Figure;
import dev.leakscope.HtmlReport;
import dev.leakscope.Report;
import dev.leakscope.kernel.Renderers;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.Image;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import javax.swing.SwingUtilities;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.ImageIcon;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextArea;
import javax.swing.Scrollable;
import javax.swing.SwingConstants;
import javax.swing.UIManager;
import tech.tablesaw.api.Table;

/**
 * The results pane: one entry per run, newest last — what the cell printed, its value (a grid for tables,
 * buttons that open figures and HTML in the browser, images, text) or its error with the user's frames.
 */
final class ResultsView extends JPanel implements Scrollable {

    /** Where "open in browser" sends a saved HTML file; the window passes {@code Desktop.browse}. */
    private volatile Consumer<Path> browser;

    ResultsView(Consumer<Path> browser) {
        this.browser = browser;
        setLayout(new BoxLayout(this, BoxLayout.Y_AXIS));
        setBackground(UIManager.getColor("TextArea.background"));
    }

    /** Replaces what "Open in browser" does with a saved page (tests record it instead of starting a browser). */
    void browser(Consumer<Path> b) {
        browser = b;
    }

    /** Adds an entry for a cell about to run and returns it, to be completed by {@link Entry#finish}. */
    Entry add(int count, String source) {
        Entry e = new Entry(count, source);
        add(e);
        revalidate();
        return e;
    }

    /** Removes every entry. */
    void clear() {
        removeAll();
        revalidate();
        repaint();
    }

    /** One run: a header with the count and the source's first line, then the outputs. */
    final class Entry extends JPanel {
        private final JLabel header;
        private final JPanel body = new JPanel();
        private TableView table;
        private volatile Path savedHtml;
        private JTextArea liveOut;
        private JTextArea liveErr;
        private JButton openButton;

        Entry(int count, String source) {
            super(new BorderLayout());
            setOpaque(false);
            setBorder(BorderFactory.createCompoundBorder(BorderFactory.createEmptyBorder(4, 4, 4, 4),
                    BorderFactory.createMatteBorder(0, 3, 0, 0, new Color(0x9aa5b1))));
            String first = source.strip().lines().findFirst().orElse("");
            header = new JLabel("[" + count + "] " + abbreviate(first, 100) + "   — running…");
            header.setFont(header.getFont().deriveFont(Font.BOLD));
            header.setBorder(BorderFactory.createEmptyBorder(2, 6, 2, 2));
            add(header, BorderLayout.NORTH);
            body.setLayout(new BoxLayout(body, BoxLayout.Y_AXIS));
            body.setOpaque(false);
            body.setBorder(BorderFactory.createEmptyBorder(0, 8, 0, 0));
            add(body, BorderLayout.CENTER);
        }

        /** The table grid of this entry, or {@code null}. */
        TableView table() {
            return table;
        }

        /** The "Open in browser" button of this entry's value, or {@code null}. */
        JButton openButton() {
            return openButton;
        }

        /** Where "open in browser" saved this entry's HTML, or {@code null}. */
        Path savedHtml() {
            return savedHtml;
        }

        /** Marks a queued cell that was dropped before it ran. */
        void notRun(String why) {
            String text = header.getText();
            int dash = text.lastIndexOf("   — ");
            header.setText((dash > 0 ? text.substring(0, dash) : text).replaceFirst("^\\[\\d+\\]", "[ ]") + "   — " + why);
            header.setEnabled(false);
        }

        /** The header line: the count, the source's first line and the state. */
        String headerText() {
            return header.getText();
        }

        /** What this entry shows of the cell's stdout so far ("" before any). */
        String liveText() {
            return liveOut == null ? "" : liveOut.getText();
        }

        /** Appends output the running cell printed; call on the Swing thread. */
        void live(boolean stderr, String text) {
            JTextArea area = stderr ? liveErr : liveOut;
            if (area == null) {
                area = text("", stderr ? STDERR : null);
                body.add(area);
                if (stderr) {
                    liveErr = area;
                } else {
                    liveOut = area;
                }
            }
            if (area.getDocument().getLength() < MAX_SHOWN) {
                area.append(text);
            }
            revalidate();
        }

        /** Shows what the run produced; call on the Swing thread. */
        void finish(Session.Run run, long millis) {
            CellResult r = run.result();
            String first = run.source().strip().lines().findFirst().orElse("");
            String status = !r.failed() ? "done" : r.error().kind().equals("Interrupted") ? "stopped" : "failed";
            header.setText("[" + run.count() + "] " + abbreviate(first, 100) + "   — " + status + " in " + seconds(millis));
            if (liveOut != null) {
                liveOut.setText(withoutLastNewline(shown(r.stdout())));
            } else if (!r.stdout().isEmpty()) {
                body.add(text(shown(r.stdout()), null));
            }
            if (liveErr != null) {
                liveErr.setText(withoutLastNewline(shown(r.stderr())));
            } else if (!r.stderr().isEmpty()) {
                body.add(text(shown(r.stderr()), STDERR));
            }
            for (Map<String, String> shown : r.displays()) {
                body.add(value(null, shown));
            }
            if (r.failed()) {
                body.add(text(r.error().text(), new Color(0xb00020)));
            } else if (r.hasValue()) {
                body.add(value(r.value(), r.bundle()));
            }
            revalidate();
            repaint();
        }

        private JComponent value(Object value, Map<String, String> bundle) {
            if (value instanceof Table t) {
                table = new TableView(t);
                table.setAlignmentX(Component.LEFT_ALIGNMENT);
                return table;
            }
            String html = bundle.get(Displayable.HTML);
            String png = bundle.get(Displayable.PNG);
            JPanel p = new JPanel();
            p.setLayout(new BoxLayout(p, BoxLayout.Y_AXIS));
            p.setOpaque(false);
            p.setAlignmentX(Component.LEFT_ALIGNMENT);
            if (png != null) {
                JLabel img = image(png);
                if (img != null) {
                    p.add(img);
                }
            }
            String plain = bundle.getOrDefault(Displayable.TEXT, Renderers.plainText(value));
            p.add(text(plain, null));
            if (browsable(value, html)) {
                JPanel buttons = new JPanel(new FlowLayout(FlowLayout.LEFT, 4, 2));
                buttons.setOpaque(false);
                buttons.setAlignmentX(Component.LEFT_ALIGNMENT);
                JButton open = new JButton("Open in browser");
                open.setToolTipText("save as a self-contained HTML file and open it in the system browser");
                open.addActionListener(e -> {
                    open.setEnabled(false);
                    CompletableFuture.supplyAsync(() -> {
                        try {
                            return saveHtml(value, html); // a figure's page is megabytes: not on the Swing thread
                        } catch (IOException ex) {
                            throw new UncheckedIOException(ex);
                        }
                    }).whenComplete((file, ex) -> SwingUtilities.invokeLater(() -> {
                        open.setEnabled(true);
                        if (ex != null) {
                            body.add(text("cannot save the HTML: " + ex.getCause(), new Color(0xb00020)));
                            revalidate();
                        } else {
                            savedHtml = file;
                            browser.accept(file);
                        }
                    }));
                });
                openButton = open;
                buttons.add(open);
                p.add(buttons);
            }
            return p;
        }
    }

    /**
     * Saves what a result shows in the browser as ONE self-contained HTML file: a {@link Figure} or an
     * {@link HtmlReport} by its own {@code save} (plotly.js inline, works offline), a {@link Report} as its HTML
     * page, anything else with HTML as that HTML in a page.
     */
    static Path saveHtml(Object value, String html) throws IOException {
        Path file = Files.createTempFile("leakscope-", ".html");
        if (value instanceof Figure f) {
            f.save(file);
        } else if (value instanceof HtmlReport h) {
            h.save(file);
        } else if (value instanceof Report r) {
            Files.writeString(file, r.html(), StandardCharsets.UTF_8);
        } else {
            String page = html.contains("<html") ? html
                    : "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>leakscope</title></head><body>\n"
                    + html + "\n</body></html>\n";
            Files.writeString(file, page, StandardCharsets.UTF_8);
        }
        return file;
    }

    /** Whether a result has a page to open in the browser. */
    static boolean browsable(Object value, String html) {
        return html != null || value instanceof Figure || value instanceof HtmlReport || value instanceof Report;
    }

    private static JLabel image(String base64) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getMimeDecoder().decode(base64)));
            if (img == null) {
                return null;
            }
            Image scaled = img.getWidth() > 900 ? img.getScaledInstance(900, -1, Image.SCALE_SMOOTH) : img;
            JLabel l = new JLabel(new ImageIcon(scaled));
            l.setAlignmentX(Component.LEFT_ALIGNMENT);
            return l;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** At most this many characters of a cell's output are shown (the result and an export keep all of it). */
    static final int MAX_SHOWN = 1_000_000;
    private static final Color STDERR = new Color(0xa05a00);

    /** {@code s}, cut at {@link #MAX_SHOWN} characters with a note saying how much more there is. */
    static String shown(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN)
                + String.format("%n[workbench: %,d more characters not shown]", s.length() - MAX_SHOWN);
    }

    private static String withoutLastNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static JTextArea text(String s, Color color) {
        JTextArea a = new JTextArea(withoutLastNewline(s));
        a.setEditable(false);
        a.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
        a.setOpaque(false);
        a.setAlignmentX(Component.LEFT_ALIGNMENT);
        a.setBorder(BorderFactory.createEmptyBorder(2, 2, 2, 2));
        if (color != null) {
            a.setForeground(color);
        }
        return a;
    }

    private static String abbreviate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static String seconds(long millis) {
        return millis < 1000 ? millis + " ms" : String.format("%.1f s", millis / 1000.0);
    }

    @Override
    public Dimension getPreferredScrollableViewportSize() {
        return getPreferredSize();
    }

    @Override
    public int getScrollableUnitIncrement(Rectangle visible, int orientation, int direction) {
        return 16;
    }

    @Override
    public int getScrollableBlockIncrement(Rectangle visible, int orientation, int direction) {
        return orientation == SwingConstants.VERTICAL ? visible.height - 32 : visible.width - 32;
    }

    @Override
    public boolean getScrollableTracksViewportWidth() {
        return true;
    }

    @Override
    public boolean getScrollableTracksViewportHeight() {
        return false;
    }

}
