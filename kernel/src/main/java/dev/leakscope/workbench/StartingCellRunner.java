package dev.leakscope.workbench;

import dev.leakscope.Progress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link CellRunner} whose evaluator is still starting (JShell takes seconds): the window shows at once, cells
 * wait for the evaluator on the worker thread, and completion offers nothing until it is ready.
 */
final class StartingCellRunner implements CellRunner {

    private final CompletableFuture<CellRunner> starting;
    private volatile Progress.Listener view;

    StartingCellRunner(CompletableFuture<CellRunner> starting) {
        this.starting = starting;
        starting.thenAccept(r -> r.progressView(view));
    }

    private CellRunner readyOrNull() {
        return starting.isDone() && !starting.isCompletedExceptionally() ? starting.join() : null;
    }

    @Override
    public CellResult run(String source, Output live) {
        return starting.join().run(source, live);
    }

    @Override
    public Completions complete(String source, int cursor) {
        CellRunner r = readyOrNull();
        return r == null ? Completions.none(cursor) : r.complete(source, cursor);
    }

    @Override
    public List<Doc> documentation(String source, int cursor) {
        CellRunner r = readyOrNull();
        return r == null ? List.of() : r.documentation(source, cursor);
    }

    @Override
    public void progressView(Progress.Listener v) {
        view = v;
        CellRunner r = readyOrNull();
        if (r != null) {
            r.progressView(v);
        }
    }

    @Override
    public void cancel() {
        CellRunner r = readyOrNull();
        if (r != null) {
            r.cancel();
        }
    }

    @Override
    public void close() {
        starting.thenAccept(CellRunner::close);
    }
}
