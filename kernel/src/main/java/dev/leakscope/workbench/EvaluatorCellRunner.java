package dev.leakscope.workbench;

import dev.leakscope.Progress;
import dev.leakscope.kernel.Evaluator;
import dev.leakscope.kernel.FrontEnd;
import dev.leakscope.kernel.Renderers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The workbench's {@link CellRunner} over the kernel's {@link Evaluator} — the same JShell, imports, magics,
 * rendering and error tracebacks as the Jupyter kernel. What a cell prints and displays is collected per cell.
 */
public final class EvaluatorCellRunner implements CellRunner {

    private final Collector collector = new Collector();
    private final Evaluator evaluator;

    /** Starts the process' evaluator. */
    public EvaluatorCellRunner() {
        evaluator = new Evaluator(collector);
    }

    /** Runs cells on an existing evaluator (there is one per process), taking its output while a cell runs. */
    public EvaluatorCellRunner(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    @Override
    public CellResult run(String source, Output live) {
        evaluator.frontEnd(collector);
        collector.reset();
        collector.live = live;
        Evaluator.Result r = evaluator.run(source);
        Collector.Cell c = collector.reset();
        if (r.isError()) {
            CellResult.Error e = new CellResult.Error(r.errorName(), r.errorMessage(), r.traceback());
            return new CellResult(c.out, c.err, c.displays, null, false, Map.of(), e);
        }
        if (r.page() != null) {
            c.displays.add(r.page());
        }
        Map<String, String> bundle = r.hasValue() ? Renderers.render(r.value()) : Map.of();
        return new CellResult(c.out, c.err, c.displays, r.value(), r.hasValue(), bundle, null);
    }

    @Override
    public Completions complete(String source, int cursor) {
        Evaluator.Completion c = evaluator.complete(source, cursor);
        List<Suggestion> list = new ArrayList<>();
        for (String m : c.matches()) {
            list.add(new Suggestion(m, false));
        }
        return new Completions(c.start(), list);
    }

    @Override
    public List<Doc> documentation(String source, int cursor) {
        List<Doc> out = new ArrayList<>();
        for (Evaluator.Documentation d : evaluator.inspect(source, cursor)) {
            out.add(new Doc(d.signature(), d.javadoc()));
        }
        return out;
    }

    @Override
    public void progressView(Progress.Listener view) {
        evaluator.progressView(view);
    }

    @Override
    public void cancel() {
        evaluator.interrupt();
    }

    @Override
    public void close() {
        evaluator.close();
    }

    /** Collects a cell's output; called from the evaluating thread and the evaluator's output flusher. */
    private static final class Collector implements FrontEnd {
        static final class Cell {
            final StringBuilder outText = new StringBuilder();
            final StringBuilder errText = new StringBuilder();
            final List<Map<String, String>> displays = new ArrayList<>();
            String out;
            String err;
        }

        private Cell cell = new Cell();
        private volatile Output live;

        synchronized Cell reset() {
            Cell c = cell;
            c.out = c.outText.toString();
            c.err = c.errText.toString();
            cell = new Cell();
            live = null;
            return c;
        }

        @Override
        public synchronized void stdout(String text) {
            cell.outText.append(text);
            Output l = live;
            if (l != null) {
                l.stdout(text);
            }
        }

        @Override
        public synchronized void stderr(String text) {
            cell.errText.append(text);
            Output l = live;
            if (l != null) {
                l.stderr(text);
            }
        }

        @Override
        public synchronized void display(Map<String, String> bundle, String displayId) {
            cell.displays.add(bundle);
        }

        @Override
        public synchronized void updateDisplay(Map<String, String> bundle, String displayId) {
            cell.displays.add(bundle);
        }
    }
}
