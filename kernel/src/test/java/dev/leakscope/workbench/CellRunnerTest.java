package dev.leakscope.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakscope.Displayable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The workbench's evaluation through {@link Workbench#newRunner()}: the runner the window uses. */
class CellRunnerTest {

    private static CellRunner runner;

    @BeforeAll
    static void start() {
        runner = Workbench.newRunner();
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    @Test
    void aCellOfSeveralSnippetsYieldsItsLastValueAndItsOutput() {
        CellResult r = runner.run("int n = 20;\nSystem.out.println(\"hello \" + n);\nn + 22");
        assertThat(r.failed()).as("%s", r.error()).isFalse();
        assertThat(r.stdout()).isEqualTo("hello 20\n");
        assertThat(r.hasValue()).isTrue();
        assertThat(r.value()).isEqualTo(42);
        assertThat(r.bundle()).containsEntry(Displayable.TEXT, "42");
    }

    @Test
    void stateCarriesAcrossCellsAndImportsAreDone() {
        runner.run("var t = Table.create(\"t\", IntColumn.create(\"n\", 3, 1, 2));");
        CellResult r = runner.run("t.sortOn(\"n\")");
        assertThat(r.value()).isInstanceOf(Table.class);
        Table t = (Table) r.value();
        assertThat(t.intColumn("n").asList()).containsExactly(1, 2, 3);
        assertThat(r.bundle().get(Displayable.HTML)).contains("<th>n</th>").contains("3 rows × 1 columns");
    }

    @Test
    void aStatementHasNoValue() {
        CellResult r = runner.run("int unused = 1;");
        assertThat(r.failed()).isFalse();
        assertThat(r.hasValue()).isFalse();
    }

    @Test
    void anExceptionNamesTheCellLine() {
        CellResult r = runner.run("int x = 1;\n\nObject o = null;\no.toString()");
        assertThat(r.failed()).isTrue();
        assertThat(r.error().kind()).isEqualTo("java.lang.NullPointerException");
        assertThat(r.error().frames()).contains("at cell line 4");
        assertThat(r.error().frames()).noneMatch(f -> f.contains("jdk.jshell") || f.contains("reflect"));
    }

    @Test
    void anExceptionInAMethodShowsTheMethodFrameAndTheCellLine() {
        runner.run("void boom(String s) {\n  throw new IllegalStateException(\"bad \" + s);\n}");
        CellResult r = runner.run("int a = 1;\nboom(\"input\");");
        assertThat(r.error().kind()).isEqualTo("java.lang.IllegalStateException");
        assertThat(r.error().message()).isEqualTo("bad input");
        assertThat(r.error().frames()).anyMatch(f -> f.startsWith("at boom (jshell snippet") && f.endsWith("line 2)"));
        assertThat(r.error().frames()).contains("at cell line 2");
    }

    @Test
    void aCompileErrorNamesTheLineAndStopsTheCell() {
        CellResult r = runner.run("int ok = 1;\nint bad = \"text\";\nSystem.out.println(\"not reached\");");
        assertThat(r.failed()).isTrue();
        assertThat(r.error().kind()).isEqualTo("CompileError");
        assertThat(r.error().message()).contains("incompatible types");
        assertThat(r.error().frames()).singleElement().asString().startsWith("at cell line 2: int bad");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void cancelStopsALongCell() throws Exception {
        CompletableFuture<CellResult> f = CompletableFuture.supplyAsync(() -> runner.run("while (true) { Thread.onSpinWait(); }"));
        Thread.sleep(500);
        assertThat(f).isNotDone();
        runner.cancel();
        CellResult r = f.get(20, TimeUnit.SECONDS);
        assertThat(r.failed()).isTrue();
        assertThat(runner.run("1 + 1").value()).isEqualTo(2);
    }

    @Test
    void completionOffersTheToolkitAndJShellSuggestions() {
        String src = "Table.cr";
        CellRunner.Completions c = runner.complete(src, src.length());
        assertThat(c.anchor()).isEqualTo("Table.".length());
        assertThat(c.suggestions()).extracting(CellRunner.Suggestion::continuation).contains("create(");
        String dsl = "Displayable.TE";
        assertThat(runner.complete(dsl, dsl.length()).suggestions()).extracting(CellRunner.Suggestion::continuation)
                .contains("TEXT");
        runner.run("int answerToAll = 42;");
        assertThat(runner.complete("answerTo", 8).suggestions()).extracting(CellRunner.Suggestion::continuation)
                .containsExactly("answerToAll");
    }
}
