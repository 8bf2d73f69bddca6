package dev.leakscope.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakscope.Progress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runner the window uses while JShell starts: nothing blocks but a cell, which waits for the evaluator. */
class StartingCellRunnerTest {

    @Test
    void cellsWaitForTheEvaluatorCompletionDoesNotAndTheProgressViewIsHandedOver() throws Exception {
        CompletableFuture<CellRunner> starting = new CompletableFuture<>();
        StartingCellRunner r = new StartingCellRunner(starting);
        List<String> seen = new CopyOnWriteArrayList<>();
        r.progressView(new Progress.Listener() {
            public void started(Progress p) { seen.add(p.task()); }
            public void updated(Progress p) { }
            public void finished(Progress p) { }
        });
        assertThat(r.complete("Table.cr", 8).suggestions()).isEmpty();
        assertThat(r.documentation("Table.create", 12)).isEmpty();
        r.cancel(); // nothing to cancel yet: must not throw

        CompletableFuture<CellResult> cell = CompletableFuture.supplyAsync(
                () -> r.run("try (var p = Progress.start(\"waited\", 1)) { p.step(1); }\n40 + 2"));
        Thread.sleep(300);
        assertThat(cell).as("the cell waits for the evaluator").isNotDone();

        starting.complete(SharedRunner.get());
        try {
            CellResult res = cell.get(60, TimeUnit.SECONDS);
            assertThat(res.value()).isEqualTo(42);
            assertThat(seen).containsExactly("waited");
            assertThat(r.complete("Table.cr", 8).suggestions()).extracting(CellRunner.Suggestion::continuation)
                    .contains("create(");
        } finally {
            SharedRunner.get().progressView(null);
        }
    }
}
