package dev.leakscope.kernel;

import java.util.Map;

/**
 * Where an {@link Evaluator} sends what a cell prints and displays: the Jupyter kernel, the desktop workbench,
 * a test. Called from the evaluating thread, the output flusher and worker threads: implementations must be
 * thread-safe. Bundles map MIME type to data, as {@link dev.leakscope.Displayable#mimeBundle()}.
 */
public interface FrontEnd {

    /** Text the cell wrote to {@code System.out} (batched, not one call per print). */
    void stdout(String text);

    /** Text the cell wrote to {@code System.err}, and kernel notices (truncated output…). */
    void stderr(String text);

    /** Shows a rendered object now; {@code displayId} is null or an id a later {@link #updateDisplay} names. */
    void display(Map<String, String> bundle, String displayId);

    /** Replaces what an earlier {@link #display} with this id shows (progress bars). */
    void updateDisplay(Map<String, String> bundle, String displayId);

    /** Clears the current cell's output; {@code wait}: only when new output arrives. */
    default void clearOutput(boolean wait) {
    }

    /** A front end that drops everything (tests, warm-up). */
    FrontEnd NONE = new FrontEnd() {
        public void stdout(String text) { }
        public void stderr(String text) { }
        public void display(Map<String, String> bundle, String displayId) { }
        public void updateDisplay(Map<String, String> bundle, String displayId) { }
    };
}
