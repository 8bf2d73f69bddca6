package dev.leakscope.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakscope.Displayable;
import dev.leakscope.Progress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The workbench's evaluation through {@link Workbench#newRunner()} (the kernel's evaluator): the runner the window uses. */
class CellRunnerTest {

    private static CellRunner runner;

    @BeforeAll
    static void start() {
        runner = SharedRunner.get();
    }

    @Test
    void aCellOfSeveralSnippetsYieldsItsLastValueAndOnlyItsOwnOutput() {
        runner.run("System.out.println(\"an earlier cell\");");
        CellResult r = runner.run("int n = 20;\nSystem.out.println(\"hello \" + n);\nSystem.err.print(\"careful\");\nn + 22");
        assertThat(r.failed()).as("%s", r.error()).isFalse();
        assertThat(r.stdout()).isEqualTo("hello 20\n");
        assertThat(r.stderr()).isEqualTo("careful");
        assertThat(r.hasValue()).isTrue();
        assertThat(r.value()).isEqualTo(42);
        assertThat(r.bundle()).containsEntry(Displayable.TEXT, "42");
    }

    @Test
    void outputArrivesWhileTheCellRuns() {
        List<String> batches = new CopyOnWriteArrayList<>();
        long[] firstAt = {0};
        long t0 = System.nanoTime();
        CellResult r = runner.run("System.out.println(\"first\"); Thread.sleep(1500); System.out.println(\"second\");",
                new CellRunner.Output() {
                    public void stdout(String text) {
                        if (batches.isEmpty()) {
                            firstAt[0] = System.nanoTime();
                        }
                        batches.add(text);
                    }

                    public void stderr(String text) {
                        batches.add("ERR " + text);
                    }
                });
        long end = System.nanoTime();
        assertThat(String.join("", batches)).isEqualTo("first\nsecond\n").isEqualTo(r.stdout());
        assertThat(batches.get(0)).isEqualTo("first\n");
        assertThat((end - firstAt[0]) / 1_000_000).as("ms between the first batch and the end of the cell")
                .isGreaterThan(1000);
        assertThat(firstAt[0]).isGreaterThan(t0);
    }

    @Test
    void tablesArriveAsLiveObjectsWithAnHtmlBundle() {
        runner.run("var t = Table.create(\"t\", IntColumn.create(\"n\", 3, 1, 2));");
        CellResult r = runner.run("t.sortOn(\"n\")");
        assertThat(r.value()).isInstanceOf(Table.class);
        assertThat(((Table) r.value()).intColumn("n").asList()).containsExactly(1, 2, 3);
        assertThat(r.bundle().get(Displayable.HTML)).contains("<table").contains(">n<");
    }

    @Test
    void displayedObjectsAreCollectedInOrder() {
        CellResult r = runner.run("display(\"first\");\ndisplay(Table.create(\"shown\"));\n1");
        assertThat(r.displays()).hasSize(2);
        assertThat(r.displays().get(0).get(Displayable.TEXT)).contains("first");
        assertThat(r.displays().get(1)).containsKey(Displayable.HTML);
        assertThat(r.value()).isEqualTo(1);
    }

    @Test
    void aDeclarationHasNoValue() {
        CellResult r = runner.run("int unused = 1;");
        assertThat(r.failed()).isFalse();
        assertThat(r.hasValue()).isFalse();
        assertThat(r.bundle()).isEmpty();
    }

    @Test
    void anExceptionNamesTheCellLine() {
        CellResult r = runner.run("int x = 1;\n\nObject o = null;\no.toString()");
        assertThat(r.failed()).isTrue();
        assertThat(r.error().kind()).contains("NullPointerException");
        assertThat(r.error().text()).contains("cell line 4").doesNotContain("jdk.jshell").doesNotContain("reflect.");
        assertThat(r.value()).isNull();
    }

    @Test
    void aCompileErrorNamesTheLineAndStopsTheCell() {
        CellResult r = runner.run("int ok = 1;\nint bad = \"text\";\nSystem.out.println(\"not reached\");");
        assertThat(r.failed()).isTrue();
        assertThat(r.error().kind()).isEqualTo("CompileError");
        assertThat(r.error().message()).contains("incompatible types");
        assertThat(r.error().text()).contains("cell line 2").contains("int bad = \"text\";");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void cancelStopsALongCellAndItsProgressAndTheSessionLivesOn() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        runner.progressView(new Progress.Listener() {
            public void started(Progress p) { seen.add("started " + p.task()); }
            public void updated(Progress p) { }
            public void finished(Progress p) { seen.add((p.isCancelled() ? "cancelled " : "finished ") + p.task()); }
        });
        try {
            runner.run("int kept = 7;");
            CompletableFuture<CellResult> f = CompletableFuture.supplyAsync(() -> runner.run(
                    "try (var p = Progress.start(\"spin\", 0)) { while (true) { p.step(1); p.checkCancelled(); } }"));
            long deadline = System.currentTimeMillis() + 10_000;
            while (seen.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(f).isNotDone();
            runner.cancel();
            CellResult r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.failed()).isTrue();
            assertThat(seen).containsExactly("started spin", "cancelled spin");
            assertThat(runner.run("kept + 1").value()).isEqualTo(8);
        } finally {
            runner.progressView(null);
        }
    }
}
