package dev.leakscope.workbench;

import dev.leakscope.Progress;
import java.util.List;

/**
 * What the workbench needs from the shared JShell evaluator: run a cell's source, complete at a cursor, show
 * progress, cancel the running cell. The UI talks only to this interface; {@link EvaluatorCellRunner} maps it
 * onto the kernel's {@code Evaluator}, so the workbench and Jupyter run cells the same way.
 */
public interface CellRunner extends AutoCloseable {

    /**
     * Runs {@code source} (one or more JShell snippets) and blocks until it finished, failed or was cancelled.
     * Called on a worker thread, one cell at a time.
     */
    default CellResult run(String source) {
        return run(source, null);
    }

    /**
     * Runs {@code source} like {@link #run(String)}, telling {@code live} (when not null) what the cell prints
     * while it runs, in batches, from another thread; the result still holds all of it.
     */
    CellResult run(String source, Output live);

    /** Receives a running cell's output as it is printed; called from the evaluator's threads. */
    interface Output {
        void stdout(String text);

        void stderr(String text);
    }

    /** Completion suggestions at {@code cursor} in {@code source} (the source of the cell being edited). */
    Completions complete(String source, int cursor);

    /** Signatures and javadoc of what is at {@code cursor} (a method, class, field or variable). */
    List<Doc> documentation(String source, int cursor);

    /** Shows the progress of long work (core scans, snapshot loads) in {@code view}; cancelled by {@link #cancel()}. */
    void progressView(Progress.Listener view);

    /** Stops the running cell, if any: cancels its progress, interrupts it, stops it if it ignores both. */
    void cancel();

    @Override
    void close();

    /**
     * Suggestions for the text at {@code anchor..cursor}: each replaces that text.
     *
     * @param anchor where the completed word starts in the source
     */
    record Completions(int anchor, List<Suggestion> suggestions) {
        public static Completions none(int cursor) {
            return new Completions(cursor, List.of());
        }
    }

    /** The documentation of one declaration: its signature and javadoc (null when there is none). */
    record Doc(String signature, String javadoc) {
    }

    /**
     * One suggestion: the text to insert (a method ends with {@code (} or {@code ()}), and whether it matches
     * the type the context expects.
     */
    record Suggestion(String continuation, boolean matchesType) {
    }
}
