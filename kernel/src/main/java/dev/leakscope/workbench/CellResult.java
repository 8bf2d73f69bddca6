package dev.leakscope.workbench;

import java.util.List;
import java.util.Map;

/**
 * What running one cell produced: what it printed, what it displayed ({@code display(x)}), the value of its last
 * expression (the object itself, so a {@code Table} becomes a sortable grid) with its MIME bundle, or the error.
 *
 * @param stdout   what the cell printed on {@code System.out}
 * @param stderr   what the cell printed on {@code System.err}
 * @param displays bundles the cell showed with {@code display(x)}, in order
 * @param value    the value of the cell's last expression; {@code null} when it has none (see {@link #hasValue})
 * @param hasValue whether the cell ended with an expression whose value should be shown
 * @param bundle   the value's representations, MIME type → data (always {@code text/plain} when there is a value)
 * @param error    the error, or {@code null} when the cell ran to completion
 */
public record CellResult(String stdout, String stderr, List<Map<String, String>> displays, Object value,
                         boolean hasValue, Map<String, String> bundle, Error error) {

    /** Whether the cell failed (compile error, exception, or stopped). */
    public boolean failed() {
        return error != null;
    }

    /**
     * An error: a compile error, an exception thrown by the cell, or a stop.
     *
     * @param kind      exception class name, {@code CompileError}, {@code Interrupted}…
     * @param message   the message as the user should read it
     * @param traceback the error as lines: the message, then the cell lines and toolkit frames that matter
     */
    public record Error(String kind, String message, List<String> traceback) {
        /** The error as text: the traceback, or {@code kind: message} without one. */
        public String text() {
            return traceback.isEmpty() ? kind + (message == null || message.isEmpty() ? "" : ": " + message)
                    : String.join("\n", traceback);
        }
    }
}
