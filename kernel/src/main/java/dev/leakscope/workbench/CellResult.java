package dev.leakscope.workbench;

import java.util.List;
import java.util.Map;

/**
 * What running one cell produced, in order of interest: what it printed, the value of its last expression
 * (the object itself, so a {@code Table} becomes a sortable grid) and its display bundle, or the error.
 *
 * @param stdout what the cell printed on {@code System.out}
 * @param stderr what the cell printed on {@code System.err}
 * @param value  the value of the cell's last expression, {@code null} when it has none (see {@link #hasValue})
 * @param hasValue whether the last snippet was an expression with a (possibly null) value
 * @param bundle the value's representations, MIME type → data (always {@code text/plain} when there is a value)
 * @param error  the error, or {@code null} when the cell ran to completion
 */
public record CellResult(String stdout, String stderr, Object value, boolean hasValue, Map<String, String> bundle,
                         Error error) {

    /** Whether the cell failed (compile error, exception, or cancelled). */
    public boolean failed() {
        return error != null;
    }

    /**
     * An error: a compile error, an exception thrown by the cell, or cancellation.
     *
     * @param kind    exception class name, or {@code "CompileError"}
     * @param message the message as the user should read it
     * @param frames  the frames that matter to the user: lines of the cell, then toolkit frames ("at …")
     */
    public record Error(String kind, String message, List<String> frames) {
        /** The error as lines of text: {@code kind: message}, then the frames. */
        public String text() {
            StringBuilder sb = new StringBuilder(kind);
            if (message != null && !message.isEmpty()) {
                sb.append(": ").append(message);
            }
            for (String f : frames) {
                sb.append('\n').append("    ").append(f);
            }
            return sb.toString();
        }
    }
}
