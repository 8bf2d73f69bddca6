package dev.leakscope.kernel;

import java.util.UUID;

/**
 * What cells call to show things: {@code display(x)}, {@code display(x, id)} + {@code updateDisplay(x, id)},
 * {@code clearOutput()} (the kernel defines these as methods in every session). Outside a kernel or workbench
 * (plain jshell), {@code display} prints the value's text.
 */
public final class Cells {

    private Cells() {
    }

    /** Shows {@code value} below the cell, rendered like a cell result (a Table as HTML…). */
    public static void display(Object value) {
        Evaluator e = Evaluator.current();
        if (e == null) {
            System.out.println(Renderers.plainText(value));
        } else {
            e.display(value, null);
        }
    }

    /** Shows {@code value} as a display that {@link #updateDisplay} can replace; returns its id. */
    public static String display(Object value, String displayId) {
        String id = displayId == null ? UUID.randomUUID().toString() : displayId;
        Evaluator e = Evaluator.current();
        if (e == null) {
            System.out.println(Renderers.plainText(value));
        } else {
            e.display(value, id);
        }
        return id;
    }

    /** Replaces the display {@code displayId} with {@code value}. */
    public static void updateDisplay(Object value, String displayId) {
        Evaluator e = Evaluator.current();
        if (e == null) {
            System.out.println(Renderers.plainText(value));
        } else {
            e.updateDisplay(value, displayId);
        }
    }

    /** Clears the cell's output so far. */
    public static void clearOutput() {
        Evaluator e = Evaluator.current();
        if (e != null) {
            e.clearOutput(false);
        }
    }
}
