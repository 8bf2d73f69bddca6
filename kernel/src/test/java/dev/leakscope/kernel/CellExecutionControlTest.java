package dev.leakscope.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;

import jdk.jshell.spi.ExecutionControl;
import org.junit.jupiter.api.Test;

/**
 * A stop that comes between two snippets of a cell (the next one is being compiled: no snippet thread runs) stops
 * the rest of the cell; before, it was lost and a {@code Thread.sleep} after a {@code println} slept on.
 */
class CellExecutionControlTest {

    static volatile int runs;

    /** What a snippet's {@code do_it$} would be. */
    public static Object snippet() {
        runs++;
        return "ran";
    }

    @Test
    void aStopBetweenTwoSnippetsOfACellStopsTheNextOneAndNotTheNextCell() throws Exception {
        CellExecutionControl c = new CellExecutionControl();
        Method doit = CellExecutionControlTest.class.getMethod("snippet");
        try {
            c.resetStop(); // a cell starts: its first snippet runs
            runs = 0;
            c.invoke(doit);
            assertThat(runs).isEqualTo(1);
            c.stop(); // the interrupt, while JShell compiles the second snippet
            assertThat(c.stopRequested()).isTrue();
            assertThatThrownBy(() -> c.invoke(doit)).isInstanceOf(ExecutionControl.StoppedException.class);
            assertThat(runs).as("the second snippet did not run").isEqualTo(1);
            c.cellEnded();

            c.resetStop(); // the next cell runs
            c.invoke(doit);
            assertThat(runs).isEqualTo(2);
            c.cellEnded();

            c.stop(); // an interrupt with no cell running stops nothing later
            assertThat(c.stopRequested()).isFalse();
            c.resetStop();
            c.invoke(doit);
            assertThat(runs).isEqualTo(3);
        } finally {
            c.resetStop(); // leaves CellHooks' shared stop flag clear for the other tests
            c.cellEnded();
        }
    }
}
