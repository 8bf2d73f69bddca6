package dev.leakscope.workbench;

import dev.leakscope.Progress;
import java.awt.BorderLayout;
import java.awt.Desktop;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.DataFlavor;
import java.awt.event.ActionEvent;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.AbstractAction;
import javax.swing.Action;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JToolBar;
import javax.swing.KeyStroke;
import javax.swing.SwingUtilities;
import javax.swing.TransferHandler;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import javax.swing.filechooser.FileNameExtensionFilter;
import javax.swing.text.BadLocationException;
import org.fife.ui.autocomplete.AutoCompletion;
import org.fife.ui.rsyntaxtextarea.RSyntaxTextArea;
import org.fife.ui.rsyntaxtextarea.SyntaxConstants;
import org.fife.ui.rtextarea.RTextScrollPane;

/**
 * The workbench window: the editor on top, results below, a tool bar with Run, Cancel and the progress bar.
 * Cells run one at a time on a worker thread (later ones queue), so the Swing thread never waits for an
 * evaluation.
 */
public final class WorkbenchWindow {

    private static final String TITLE = "leakscope workbench";

    private final JFrame frame = new JFrame(TITLE);
    private final RSyntaxTextArea editor = new RSyntaxTextArea(24, 100);
    private final ResultsView results;
    private final JScrollPane resultsScroll;
    private final ProgressView progress = new ProgressView();
    private final JLabel status = new JLabel(" ");
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "workbench-cells");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger pending = new AtomicInteger();
    private final java.util.Set<Queued> queue = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());
    private final Session session = new Session();
    private final CellRunner runner;
    private final AutoCompletion completion;
    private volatile boolean busy;
    private Path file;
    private boolean modified;

    /** Builds the window (on the Swing thread) around {@code runner}; it closes the runner when disposed. */
    public WorkbenchWindow(CellRunner runner) {
        this.runner = runner;
        results = new ResultsView(this::browse);
        resultsScroll = new JScrollPane(results);
        resultsScroll.getVerticalScrollBar().setUnitIncrement(16);
        runner.progressView(progress);

        editor.setSyntaxEditingStyle(SyntaxConstants.SYNTAX_STYLE_JAVA);
        editor.setCodeFoldingEnabled(true);
        editor.setBracketMatchingEnabled(true);
        editor.setPaintMatchedBracketPair(true);
        editor.setAnimateBracketMatching(false);
        editor.setMarkOccurrences(true);
        editor.setTabSize(4);
        editor.setTabsEmulated(true);
        editor.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 13));
        editor.getDocument().addDocumentListener(new DocumentListener() {
            public void insertUpdate(DocumentEvent e) { setModified(true); }
            public void removeUpdate(DocumentEvent e) { setModified(true); }
            public void changedUpdate(DocumentEvent e) { }
        });

        completion = new AutoCompletion(new RunnerCompletionProvider(runner, () -> busy));
        completion.setAutoActivationEnabled(true);
        completion.setAutoActivationDelay(400);
        completion.setAutoCompleteSingleChoices(false);
        completion.setShowDescWindow(true); // signature and javadoc of the selected suggestion
        completion.install(editor);

        editor.setTransferHandler(new FileDropHandler(editor.getTransferHandler()));
        frame.getRootPane().setTransferHandler(new FileDropHandler(null));
        results.setTransferHandler(new FileDropHandler(null));

        RTextScrollPane editorScroll = new RTextScrollPane(editor, true);
        editorScroll.setFoldIndicatorEnabled(true);
        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, editorScroll, resultsScroll);
        split.setResizeWeight(0.45);
        split.setDividerLocation(330);

        JPanel content = new JPanel(new BorderLayout());
        content.add(toolbar(), BorderLayout.NORTH);
        content.add(split, BorderLayout.CENTER);
        status.setBorder(javax.swing.BorderFactory.createEmptyBorder(2, 6, 2, 6));
        content.add(status, BorderLayout.SOUTH);
        frame.setContentPane(content);
        frame.setJMenuBar(menus());
        frame.setDefaultCloseOperation(JFrame.DO_NOTHING_ON_CLOSE);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                quit();
            }
        });
        frame.setSize(new Dimension(1100, 820));
        frame.setLocationByPlatform(true);
        modified = false;
        updateTitle();
        worker.submit(() -> runner.complete("Str", 3)); // warms JShell's completion up off the Swing thread
    }

    // ---- actions

    private final Action runCell = action("Run cell", "run the selection, or the cell at the caret (Ctrl+Enter)",
            KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, InputEvent.CTRL_DOWN_MASK), e -> runAtCaret());
    private final Action runAll = action("Run all", "run every cell, top to bottom (Ctrl+Shift+Enter)",
            KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, InputEvent.CTRL_DOWN_MASK | InputEvent.SHIFT_DOWN_MASK), e -> runAll());
    private final Action cancel = action("Cancel", "stop the running cell and drop queued ones (Ctrl+.)",
            KeyStroke.getKeyStroke(KeyEvent.VK_PERIOD, InputEvent.CTRL_DOWN_MASK), e -> cancel());
    private final Action open = action("Open…", "open a .jsh file", KeyStroke.getKeyStroke(KeyEvent.VK_O, InputEvent.CTRL_DOWN_MASK),
            e -> chooseAndOpen());
    private final Action save = action("Save", "save the .jsh file", KeyStroke.getKeyStroke(KeyEvent.VK_S, InputEvent.CTRL_DOWN_MASK),
            e -> save(false));
    private final Action saveAs = action("Save as…", "save under a new name",
            KeyStroke.getKeyStroke(KeyEvent.VK_S, InputEvent.CTRL_DOWN_MASK | InputEvent.SHIFT_DOWN_MASK), e -> save(true));
    private final Action export = action("Export notebook…", "save the cells and their outputs as a Jupyter notebook (Ctrl+E)",
            KeyStroke.getKeyStroke(KeyEvent.VK_E, InputEvent.CTRL_DOWN_MASK), e -> chooseAndExport());
    private final Action clear = action("Clear results", "remove every result from the pane", null, e -> clearResults());
    private final Action quit = action("Quit", "close the workbench", KeyStroke.getKeyStroke(KeyEvent.VK_Q, InputEvent.CTRL_DOWN_MASK),
            e -> quit());

    private static Action action(String name, String tip, KeyStroke key, java.util.function.Consumer<ActionEvent> body) {
        Action a = new AbstractAction(name) {
            @Override
            public void actionPerformed(ActionEvent e) {
                body.accept(e);
            }
        };
        a.putValue(Action.SHORT_DESCRIPTION, tip);
        if (key != null) {
            a.putValue(Action.ACCELERATOR_KEY, key);
        }
        return a;
    }

    private JToolBar toolbar() {
        JToolBar bar = new JToolBar();
        bar.setFloatable(false);
        bar.add(new JButton(runCell));
        bar.add(new JButton(runAll));
        bar.add(new JButton(cancel));
        bar.addSeparator();
        bar.add(progress);
        bar.addSeparator();
        bar.add(new JButton(export));
        for (Action a : List.of(runCell, runAll, cancel)) {
            KeyStroke k = (KeyStroke) a.getValue(Action.ACCELERATOR_KEY);
            editor.getInputMap(JComponent.WHEN_FOCUSED).put(k, a.getValue(Action.NAME));
            editor.getActionMap().put(a.getValue(Action.NAME), a);
        }
        cancel.setEnabled(false);
        return bar;
    }

    private JMenuBar menus() {
        JMenuBar bar = new JMenuBar();
        JMenu f = new JMenu("File");
        f.setMnemonic('F');
        f.add(open);
        f.add(save);
        f.add(saveAs);
        f.addSeparator();
        f.add(export);
        f.addSeparator();
        f.add(quit);
        JMenu r = new JMenu("Run");
        r.setMnemonic('R');
        r.add(runCell);
        r.add(runAll);
        r.add(cancel);
        r.addSeparator();
        r.add(clear);
        bar.add(f);
        bar.add(r);
        return bar;
    }

    // ---- running

    /** Shows the window. */
    public void show() {
        frame.setVisible(true);
        editor.requestFocusInWindow();
    }

    /** Runs the selection if there is one, else the cell at the caret. */
    public void runAtCaret() {
        String selected = editor.getSelectedText();
        if (selected != null && !selected.isBlank()) {
            submit(Cells.runnable(selected));
            return;
        }
        Cells.Cell cell = Cells.at(editor.getText(), editor.getCaretPosition());
        if (cell == null) {
            status("nothing to run: the editor is empty");
        } else if (cell.isComment()) {
            status("that cell is only comments");
        } else {
            submit(Cells.runnable(cell.source()));
        }
    }

    /** Runs every code cell of the document, in order. */
    public void runAll() {
        for (Cells.Cell c : Cells.split(editor.getText())) {
            if (!c.isComment()) {
                submit(Cells.runnable(c.source()));
            }
        }
    }

    /** A cell waiting for the worker; dropped when an earlier one fails or the user cancels. */
    private static final class Queued {
        final ResultsView.Entry entry;
        volatile boolean dropped;

        Queued(ResultsView.Entry entry) {
            this.entry = entry;
        }
    }

    /**
     * Queues {@code source} for the worker; its entry appears at once and fills in when it has run. As in
     * Jupyter, a failed or cancelled cell drops the cells queued after it.
     */
    public Future<?> submit(String source) {
        ResultsView.Entry entry = results.add(session.nextCount() + pending.get(), source);
        Queued q = new Queued(entry);
        queue.add(q);
        scrollToEnd();
        pending.incrementAndGet();
        cancel.setEnabled(true);
        return worker.submit(() -> {
            queue.remove(q);
            if (q.dropped) {
                return;
            }
            busy = true;
            String first = source.strip().lines().findFirst().orElse("");
            progress.running("running: " + (first.length() > 60 ? first.substring(0, 59) + "…" : first));
            long t0 = System.nanoTime();
            CellResult r;
            try {
                r = runner.run(source, new CellRunner.Output() {
                    public void stdout(String text) {
                        SwingUtilities.invokeLater(() -> entry.live(false, text));
                    }

                    public void stderr(String text) {
                        SwingUtilities.invokeLater(() -> entry.live(true, text));
                    }
                });
            } catch (RuntimeException | Error e) {
                r = new CellResult("", "", List.of(), null, false, java.util.Map.of(),
                        new CellResult.Error(e.getClass().getName(), String.valueOf(e.getMessage()), List.of("workbench error: " + e)));
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            Session.Run run = session.add(source, r);
            busy = false;
            progress.running(null);
            if (r.failed()) {
                dropQueued("[" + run.count() + "] " + (r.error().kind().equals("Interrupted") ? "was stopped" : "failed"));
            }
            SwingUtilities.invokeLater(() -> {
                entry.finish(run, millis);
                int left = pending.decrementAndGet();
                cancel.setEnabled(left > 0);
                CellResult.Error err = run.result().error();
                status(err == null ? "[" + run.count() + "] done in " + millis + " ms"
                        : err.kind().equals("Interrupted") ? "[" + run.count() + "] stopped"
                        : "[" + run.count() + "] failed: " + err.kind());
                scrollToEnd();
            });
        });
    }

    /** Drops every queued cell, saying why in its entry. */
    private void dropQueued(String why) {
        List<Queued> dropped = new java.util.ArrayList<>();
        synchronized (queue) {
            for (Queued q : queue) {
                q.dropped = true;
                dropped.add(q);
            }
            queue.clear();
        }
        if (!dropped.isEmpty()) {
            SwingUtilities.invokeLater(() -> {
                for (Queued q : dropped) {
                    q.entry.notRun("not run: " + why);
                }
                cancel.setEnabled(pending.addAndGet(-dropped.size()) > 0);
            });
        }
    }

    /**
     * Cancels the running cell and drops the queued ones: the evaluator cancels its progress (long toolkit work
     * stops at its next check), interrupts it, and stops it if it ignores both.
     */
    public void cancel() {
        dropQueued("cancelled");
        List<Progress> tasks = progress.active();
        status(tasks.isEmpty() ? "stopping the cell…" : "cancelling " + tasks.get(tasks.size() - 1).task() + "…");
        runner.cancel();
    }

    private void clearResults() {
        results.clear();
    }

    private void scrollToEnd() {
        SwingUtilities.invokeLater(() -> {
            results.revalidate();
            SwingUtilities.invokeLater(() -> results.scrollRectToVisible(
                    new java.awt.Rectangle(0, Math.max(0, results.getHeight() - 1), 1, 1)));
        });
    }

    // ---- files

    /** Opens {@code path} into the editor (a missing file starts empty and is created on save). */
    public void open(Path path) throws IOException {
        String text = Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
        editor.setText(text);
        editor.setCaretPosition(0);
        editor.discardAllEdits();
        file = path.toAbsolutePath();
        setModified(false);
        status(Files.exists(path) ? "opened " + file : "new file " + file);
    }

    /** Saves the editor to {@code path}. */
    public void saveTo(Path path) throws IOException {
        Files.writeString(path, editor.getText(), StandardCharsets.UTF_8);
        file = path.toAbsolutePath();
        setModified(false);
        status("saved " + file);
    }

    /** Writes the document's cells and their latest outputs as a notebook. */
    public void exportNotebook(Path path) throws IOException {
        NotebookExport.write(editor.getText(), session, path);
        status("exported " + path.toAbsolutePath() + " (open it in Jupyter with the leakscope kernel)");
    }

    private void chooseAndOpen() {
        if (!confirmDiscard()) {
            return;
        }
        JFileChooser ch = chooser("JShell scripts", "jsh", "jshell", "java");
        if (ch.showOpenDialog(frame) == JFileChooser.APPROVE_OPTION) {
            try {
                open(ch.getSelectedFile().toPath());
            } catch (IOException ex) {
                error("cannot open " + ch.getSelectedFile(), ex);
            }
        }
    }

    private boolean save(boolean ask) {
        Path target = file;
        if (ask || target == null) {
            JFileChooser ch = chooser("JShell scripts", "jsh");
            if (ch.showSaveDialog(frame) != JFileChooser.APPROVE_OPTION) {
                return false;
            }
            target = withExtension(ch.getSelectedFile().toPath(), ".jsh");
        }
        try {
            saveTo(target);
            return true;
        } catch (IOException ex) {
            error("cannot save " + target, ex);
            return false;
        }
    }

    private void chooseAndExport() {
        JFileChooser ch = chooser("Jupyter notebooks", "ipynb");
        if (file != null) {
            String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "") + ".ipynb";
            ch.setSelectedFile(file.resolveSibling(name).toFile());
        }
        if (ch.showSaveDialog(frame) == JFileChooser.APPROVE_OPTION) {
            Path target = withExtension(ch.getSelectedFile().toPath(), ".ipynb");
            try {
                exportNotebook(target);
            } catch (IOException ex) {
                error("cannot export to " + target, ex);
            }
        }
    }

    private JFileChooser chooser(String what, String... extensions) {
        JFileChooser ch = new JFileChooser(file != null ? file.getParent().toFile() : new File("."));
        ch.setFileFilter(new FileNameExtensionFilter(what, extensions));
        return ch;
    }

    private static Path withExtension(Path p, String ext) {
        return p.getFileName().toString().contains(".") ? p : p.resolveSibling(p.getFileName() + ext);
    }

    /** Inserts the line that opens {@code dropped} (Core/Heap/Logs/Metrics.open) as a new cell after the caret's. */
    public void insertOpenLine(Path dropped) {
        if (Files.isDirectory(dropped)) {
            status(dropped + " is a folder: drop a core, a heap snapshot, a log or a metrics scrape");
            return;
        }
        DroppedFile.Kind kind;
        try {
            kind = DroppedFile.sniff(dropped);
        } catch (IOException ex) {
            error("cannot read " + dropped, ex);
            return;
        }
        String text = editor.getText();
        String line = DroppedFile.openLine(kind, dropped, text);
        Cells.Cell cell = Cells.at(text, editor.getCaretPosition());
        int at = cell == null ? text.length() : cell.end();
        String before = at == 0 ? "" : Cells.split(text).size() > 0 && text.lines().anyMatch(Cells::isSeparator) ? "\n// ---\n" : "\n\n";
        editor.insert(before + line + (at == text.length() ? "\n" : ""), at);
        editor.setCaretPosition(Math.min(editor.getDocument().getLength(), at + before.length() + line.length()));
        status("dropped " + dropped.getFileName() + ": " + kind.name().toLowerCase().replace('_', ' ') + " — Ctrl+Enter opens it");
    }

    private boolean confirmDiscard() {
        if (!modified) {
            return true;
        }
        int a = JOptionPane.showConfirmDialog(frame, "Save the changes to " + (file == null ? "this script" : file.getFileName()) + "?",
                TITLE, JOptionPane.YES_NO_CANCEL_OPTION);
        return a == JOptionPane.NO_OPTION || a == JOptionPane.YES_OPTION && save(false);
    }

    private void quit() {
        if (confirmDiscard()) {
            dispose();
        }
    }

    /** Closes the window, stops the worker and closes the evaluator. */
    public void dispose() {
        frame.dispose();
        progress.dispose();
        runner.progressView(null);
        worker.shutdownNow();
        runner.cancel();
        runner.close();
    }

    // ---- helpers

    private void browse(Path html) {
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(html.toUri());
                status("opened " + html + " in the browser");
            } else {
                status("saved " + html + " (no desktop browser here: open it yourself)");
            }
        } catch (IOException | UnsupportedOperationException ex) {
            status("saved " + html + "; cannot start a browser: " + ex.getMessage());
        }
    }

    private void setModified(boolean m) {
        if (modified != m) {
            modified = m;
            updateTitle();
        }
    }

    private void updateTitle() {
        frame.setTitle((modified ? "* " : "") + (file == null ? "untitled" : file.getFileName()) + " — " + TITLE);
    }

    private void status(String s) {
        status.setText(s);
    }

    private void error(String what, Exception ex) {
        status(what + ": " + ex.getMessage());
        JOptionPane.showMessageDialog(frame, what + ":\n" + ex.getMessage(), TITLE, JOptionPane.ERROR_MESSAGE);
    }

    // ---- access for tests and the screenshot

    /** The frame. */
    public JFrame frame() {
        return frame;
    }

    /** The editor. */
    public RSyntaxTextArea editor() {
        return editor;
    }

    /** The runs so far. */
    public Session session() {
        return session;
    }

    /** Says "starting JShell…" until {@code starting} completes, then whether it failed. */
    void starting(java.util.concurrent.CompletableFuture<CellRunner> starting) {
        if (starting.isDone()) {
            return;
        }
        progress.running("starting JShell…");
        starting.whenComplete((r, ex) -> SwingUtilities.invokeLater(() -> {
            if (r != null) {
                worker.submit(() -> r.complete("Str", 3)); // warms JShell's completion up off the Swing thread
            }
            progress.running(null);
            status(ex == null ? "ready" : "JShell did not start: " + ex.getCause());
        }));
    }

    /** Replaces what "Open in browser" does with a saved HTML page (default: the system browser). */
    public void browser(java.util.function.Consumer<Path> b) {
        results.browser(b);
    }

    /** The entries of the completion popup when it is showing, else an empty list. */
    public List<String> completionPopup() {
        for (java.awt.Window win : java.awt.Window.getWindows()) {
            if (win.isShowing() && win instanceof javax.swing.JWindow && win.getOwner() == frame) {
                javax.swing.JList<?> list = find(win, javax.swing.JList.class);
                if (list != null) {
                    List<String> items = new java.util.ArrayList<>();
                    for (int i = 0; i < list.getModel().getSize(); i++) {
                        Object o = list.getModel().getElementAt(i);
                        items.add(o instanceof org.fife.ui.autocomplete.Completion c ? c.getReplacementText() : String.valueOf(o));
                    }
                    return items;
                }
            }
        }
        return List.of();
    }

    /** The text of the completion's documentation window when it is showing, else "". */
    public String completionDocumentation() {
        for (java.awt.Window win : java.awt.Window.getWindows()) {
            if (win.isShowing() && win instanceof javax.swing.JWindow) {
                javax.swing.JEditorPane pane = find(win, javax.swing.JEditorPane.class);
                if (pane != null) {
                    try {
                        return pane.getDocument().getText(0, pane.getDocument().getLength()).strip();
                    } catch (BadLocationException e) {
                        return "";
                    }
                }
            }
        }
        return "";
    }

    private static <T> T find(java.awt.Container c, Class<T> type) {
        for (java.awt.Component k : c.getComponents()) {
            if (type.isInstance(k)) {
                return type.cast(k);
            }
            if (k instanceof java.awt.Container sub) {
                T t = find(sub, type);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    /** The progress bar's text now. */
    public String progressText() {
        return progress.text();
    }

    /** The text of the status line. */
    public String statusText() {
        return status.getText();
    }

    /** The results pane's entries, oldest first. */
    List<ResultsView.Entry> entries() {
        return java.util.Arrays.stream(results.getComponents())
                .filter(c -> c instanceof ResultsView.Entry).map(c -> (ResultsView.Entry) c).toList();
    }

    /** Paints the window into an image (works under Xvfb without a compositor). */
    public BufferedImage screenshot() {
        BufferedImage img = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        frame.paint(g);
        g.dispose();
        return img;
    }

    /** Accepts dropped files (inserting their open lines) and hands any other transfer to the editor's handler. */
    private final class FileDropHandler extends TransferHandler {
        private final TransferHandler delegate;

        FileDropHandler(TransferHandler delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean canImport(TransferSupport s) {
            if (s.isDataFlavorSupported(DataFlavor.javaFileListFlavor)) {
                if (s.isDrop()) {
                    s.setDropAction(COPY);
                }
                return true;
            }
            return delegate != null && delegate.canImport(s);
        }

        @Override
        public boolean importData(TransferSupport s) {
            if (s.isDataFlavorSupported(DataFlavor.javaFileListFlavor)) {
                try {
                    @SuppressWarnings("unchecked")
                    List<File> files = (List<File>) s.getTransferable().getTransferData(DataFlavor.javaFileListFlavor);
                    for (File f : files) {
                        insertOpenLine(f.toPath());
                    }
                    return true;
                } catch (Exception ex) {
                    status("cannot take the dropped files: " + ex.getMessage());
                    return false;
                }
            }
            return delegate != null && delegate.importData(s);
        }

        @Override
        public int getSourceActions(JComponent c) {
            return delegate == null ? NONE : delegate.getSourceActions(c);
        }

        @Override
        public void exportAsDrag(JComponent comp, InputEvent e, int action) {
            if (delegate != null) {
                delegate.exportAsDrag(comp, e, action);
            }
        }

        @Override
        public void exportToClipboard(JComponent comp, Clipboard clip, int action) {
            if (delegate != null) {
                delegate.exportToClipboard(comp, clip, action);
            }
        }
    }
}
