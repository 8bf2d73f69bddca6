package dev.leakscope.workbench;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;

/**
 * {@code leakscope workbench [FILE.jsh]}: the desktop workbench, a JShell scratchpad with tables, plots and
 * progress for people without Jupyter.
 */
public final class Workbench {

    private Workbench() {
    }

    /** The evaluator the workbench runs cells with (one per process: it owns System.out/err and progress). */
    public static CellRunner newRunner() {
        return new EvaluatorCellRunner();
    }

    public static void main(String[] args) {
        if (args.length > 1 || args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.err.println("usage: leakscope workbench [FILE.jsh]");
            System.exit(args.length > 1 ? 2 : 0);
        }
        if (GraphicsEnvironment.isHeadless()) {
            System.err.println("leakscope workbench: no display (is DISPLAY set? on a server use jshell: ./leakscope shell)");
            System.exit(2);
        }
        Path file = args.length == 1 ? Path.of(args[0]) : null;
        // JShell takes seconds to start: show the window now, let cells wait for it on the worker thread
        CompletableFuture<CellRunner> starting = CompletableFuture.supplyAsync(Workbench::newRunner);
        SwingUtilities.invokeLater(() -> {
            try {
                UIManager.setLookAndFeel(UIManager.getSystemLookAndFeelClassName());
            } catch (ReflectiveOperationException | javax.swing.UnsupportedLookAndFeelException e) {
                // keep the default look
            }
            WorkbenchWindow w = new WorkbenchWindow(new StartingCellRunner(starting));
            w.frame().addWindowListener(new java.awt.event.WindowAdapter() {
                @Override
                public void windowClosed(java.awt.event.WindowEvent e) {
                    System.exit(0);
                }
            });
            if (file != null) {
                try {
                    w.open(file);
                } catch (IOException e) {
                    System.err.println("leakscope workbench: cannot read " + file + ": " + e.getMessage());
                }
            }
            w.starting(starting);
            w.show();
        });
    }
}
