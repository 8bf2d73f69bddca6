package dev.leakscope.workbench;

import java.awt.datatransfer.DataFlavor;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.datatransfer.Transferable;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;
import javax.swing.TransferHandler;

/**
 * Drives the real workbench window in a JVM of its own (on an Xvfb display, started by {@link WorkbenchWindowTest}):
 * drops a core on the editor, runs cells against it, cancels a long one, exports the notebook and saves a
 * screenshot. Prints {@code key=value} lines the test checks.
 *
 * <p>Arguments: CORE OUT_DIR.
 */
public final class WindowDriver {

    private static WorkbenchWindow w;
    /** The real stdout: the evaluator takes System.out over for the cells. */
    private static final java.io.PrintStream OUT = System.out;

    public static void main(String[] args) {
        try {
            drive(args);
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(OUT);
            say("failed", t);
            System.exit(1);
        }
    }

    private static void drive(String[] args) throws Exception {
        Path core = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        SwingUtilities.invokeAndWait(() -> {
            w = new WorkbenchWindow(Workbench.newRunner());
            w.frame().setSize(1200, 900);
            w.frame().setLocation(0, 0);
            w.show();
        });
        Path script = out.resolve("session.jsh");
        Files.writeString(script, "// # What does the core of the leaking service hold?\n// Its memory regions, largest first.\n");
        onEdt(() -> {
            w.open(script);
            w.editor().setCaretPosition(w.editor().getDocument().getLength());
            return null;
        });

        // drop the core on the editor, as a file manager would
        boolean dropped = onEdt(() -> {
            TransferHandler h = w.editor().getTransferHandler();
            TransferHandler.TransferSupport s = new TransferHandler.TransferSupport(w.editor(), files(core.toFile()));
            return h.canImport(s) && h.importData(s);
        });
        String text = onEdt(() -> w.editor().getText());
        say("dropped", dropped);
        say("openLine", text.lines().filter(l -> l.contains(".open(")).findFirst().orElse("none"));

        // run the dropped line (Ctrl+Enter with the caret on it), then two cells against the core
        onEdt(() -> {
            w.runAtCaret();
            w.editor().append("\n\ncore.regions().sortDescendingOn(\"size\")\n\ncore.strings().grep(\"EMFILE|ENOMEM\").countBy()\n"
                    + "\nPlots.strings(core.strings().grep(\"EMFILE|ENOMEM\").countBy(), 10)\n");
            int at = w.editor().getText().indexOf("core.regions()");
            w.editor().setCaretPosition(at);
            key(KeyEvent.VK_ENTER, InputEvent.CTRL_DOWN_MASK, '\n'); // Ctrl+Enter, through the editor's key bindings
            w.editor().setCaretPosition(w.editor().getText().indexOf("core.strings()"));
            w.runAtCaret();
            w.editor().setCaretPosition(w.editor().getDocument().getLength());
            w.runAtCaret();
            return null;
        });
        List<Session.Run> runs = awaitRuns(4, 180_000);
        for (int i = 0; i < 4; i++) {
            CellResult r = runs.get(i).result();
            say("cell" + (i + 1), r.failed() ? "failed " + r.error().text().replace('\n', '|') : "ok");
        }
        Thread.sleep(300);
        say("gridRows", onEdt(() -> w.entries().get(1).table().grid().getRowCount()));
        say("largestSize", onEdt(() -> w.entries().get(1).table().grid().getValueAt(0, 2)));
        say("rwRows", onEdt(() -> {
            TableView t = w.entries().get(1).table();
            t.filter("^rw");
            int n = t.grid().getRowCount();
            t.filter("");
            return n;
        }));
        say("errnoStrings", onEdt(() -> {
            var g = w.entries().get(2).table().grid();
            long sum = 0;
            for (int r = 0; r < g.getRowCount(); r++) {
                sum += ((Number) g.getValueAt(r, g.getColumnModel().getColumnIndex("count"))).longValue();
            }
            return sum;
        }));

        // the figure: its PNG inline, and "Open in browser" saves one self-contained page (recorded, no browser)
        List<Path> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        boolean hasButton = onEdt(() -> {
            w.browser(opened::add);
            ResultsView.Entry e = w.entries().get(3);
            if (e.openButton() == null) {
                return false;
            }
            e.openButton().doClick();
            return true;
        });
        say("figureImage", onEdt(() -> hasImage(w.entries().get(3))));
        say("figureButton", hasButton);
        for (int i = 0; i < 600 && opened.isEmpty(); i++) {
            Thread.sleep(100);
        }
        say("figureOpened", opened.isEmpty() ? "none" : opened.get(0));

        // a long cell with progress: the UI stays responsive, Cancel stops it
        String slow = """
                System.out.println("scan started");
                try (var p = Progress.start("scanning the core", 600)) {
                    for (int i = 0; i < 600; i++) { Thread.sleep(50); p.step(1); p.checkCancelled(); }
                }""";
        onEdt(() -> {
            w.submit(slow);
            return null;
        });
        long deadline = System.currentTimeMillis() + 30_000;
        String bar = "";
        while (System.currentTimeMillis() < deadline && !bar.matches(".*\\(\\d{2,},? ?\\d* of 600\\).*")) {
            Thread.sleep(100);
            bar = onEdt(() -> w.progressText());
        }
        long t0 = System.nanoTime();
        onEdt(() -> null);
        say("edtRoundTripMs", (System.nanoTime() - t0) / 1_000_000);
        say("progressBar", bar);
        say("liveOutput", onEdt(() -> w.entries().get(4).liveText()));
        BufferedImageHolder.shot = onEdt(() -> w.screenshot());
        ImageIO.write(BufferedImageHolder.shot, "png", out.resolve("workbench-running.png").toFile());
        onEdt(() -> {
            w.cancel();
            return null;
        });
        Session.Run cancelled = awaitRuns(5, 30_000).get(4);
        say("cancelled", cancelled.result().failed() ? cancelled.result().error().kind() + ": " + cancelled.result().error().message() : "not cancelled");

        // a failing cell drops the cells queued after it, as Jupyter does
        onEdt(() -> {
            w.submit("int before = 1;");
            w.submit("throw new IllegalStateException(\"boom\");");
            w.submit("int after = 2;");
            return null;
        });
        awaitRuns(7, 30_000);
        Thread.sleep(300);
        say("afterFailure", onEdt(() -> w.entries().get(7).headerText()));
        say("runsAfterFailure", w.session().runs().size());

        // completion: Ctrl+Space after "core.str" offers the DSL's strings()
        onEdt(() -> {
            w.editor().append("\ncore.str");
            w.editor().setCaretPosition(w.editor().getDocument().getLength());
            w.editor().requestFocusInWindow();
            key(KeyEvent.VK_SPACE, InputEvent.CTRL_DOWN_MASK, ' ');
            return null;
        });
        List<String> popup = List.of();
        for (int i = 0; i < 300 && popup.isEmpty(); i++) { // JShell's first completion is slow on a slow machine
            Thread.sleep(100);
            popup = onEdt(() -> w.completionPopup());
        }
        say("completions", popup);
        // the documentation window opens after a short delay, with javadoc the evaluator looks up: wait for it
        String doc = "";
        for (int i = 0; i < 300 && doc.isEmpty(); i++) {
            Thread.sleep(100);
            doc = onEdt(() -> w.completionDocumentation());
        }
        say("completionDoc", doc.replaceAll("\\s+", " "));
        java.awt.Rectangle screen = onEdt(() -> w.frame().getBounds());
        ImageIO.write(new java.awt.Robot().createScreenCapture(screen), "png", out.resolve("workbench-completion.png").toFile());
        onEdt(() -> {
            key(KeyEvent.VK_ESCAPE, 0, (char) 27);
            String t = w.editor().getText();
            w.editor().setText(t.substring(0, t.length() - "\ncore.str".length()));
            return null;
        });

        // the session as a notebook, and the window as it looks now
        Path nb = out.resolve("workbench-session.ipynb");
        onEdt(() -> {
            w.exportNotebook(nb);
            return null;
        });
        say("notebook", nb);
        Thread.sleep(500);
        ImageIO.write(onEdt(() -> w.screenshot()), "png", out.resolve("workbench.png").toFile());
        say("screenshot", out.resolve("workbench.png"));
        SwingUtilities.invokeAndWait(() -> w.dispose());
        say("done", true);
    }

    /** Presses a key on the editor as the keyboard would (key pressed, typed, released). */
    private static void key(int code, int modifiers, char ch) {
        long now = System.currentTimeMillis();
        var ed = w.editor();
        ed.dispatchEvent(new KeyEvent(ed, KeyEvent.KEY_PRESSED, now, modifiers, code, ch));
        ed.dispatchEvent(new KeyEvent(ed, KeyEvent.KEY_RELEASED, now, modifiers, code, ch));
    }

    private static boolean hasImage(java.awt.Container c) {
        for (java.awt.Component k : c.getComponents()) {
            if (k instanceof javax.swing.JLabel l && l.getIcon() != null && l.getIcon().getIconWidth() > 100
                    || k instanceof java.awt.Container sub && hasImage(sub)) {
                return true;
            }
        }
        return false;
    }

    private static final class BufferedImageHolder {
        static java.awt.image.BufferedImage shot;
    }

    private static List<Session.Run> awaitRuns(int n, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (w.session().runs().size() < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out waiting for run " + n);
            }
            Thread.sleep(50);
        }
        // the Swing thread then fills the entries in (a run's outputs, "not run" for the cells it dropped): every cell
        // submitted so far has ended when this is called, so wait until no entry still says it is running
        while (onEdt(() -> w.entries().stream().anyMatch(e -> e.headerText().endsWith("— running…")))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out waiting for the entries of " + n + " runs");
            }
            Thread.sleep(50);
        }
        return w.session().runs();
    }

    private static <T> T onEdt(Callable<T> c) throws Exception {
        AtomicReference<T> r = new AtomicReference<>();
        AtomicReference<Exception> e = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            try {
                r.set(c.call());
            } catch (Exception ex) {
                e.set(ex);
            }
        });
        if (e.get() != null) {
            throw e.get();
        }
        return r.get();
    }

    private static void say(String key, Object value) {
        OUT.println(key + "=" + value);
        OUT.flush();
    }

    private static Transferable files(File f) {
        return new Transferable() {
            public DataFlavor[] getTransferDataFlavors() {
                return new DataFlavor[] {DataFlavor.javaFileListFlavor};
            }

            public boolean isDataFlavorSupported(DataFlavor flavor) {
                return DataFlavor.javaFileListFlavor.equals(flavor);
            }

            public Object getTransferData(DataFlavor flavor) {
                return List.of(f);
            }
        };
    }
}
