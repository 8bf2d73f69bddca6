package dev.leakscope.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The editor's completion: what the popup offers and which text it replaces, inside multi-statement cells. */
class CompletionTest {

    private static CellRunner runner;

    @BeforeAll
    static void start() {
        runner = SharedRunner.get();
        runner.run("var words = Table.create(\"w\", StringColumn.create(\"text\", \"a\", \"b\"));");
    }

    @Test
    void completesAVariableOfAnEarlierCellInsideALaterStatement() {
        String doc = "int a = 1;\n\nint b = 2; words.rowC";
        RunnerCompletionProvider.Located l = RunnerCompletionProvider.suggest(runner, doc, doc.length());
        assertThat(doc.substring(l.anchor(), l.caret())).isEqualTo("rowC");
        assertThat(l.words()).containsExactly("rowCount()");
    }

    @Test
    void completesTheToolkitDsl() {
        String doc = "// --- cell one\nvar p = dev.leakscope.Progress.sta";
        RunnerCompletionProvider.Located l = RunnerCompletionProvider.suggest(runner, doc, doc.length());
        assertThat(doc.substring(l.anchor(), l.caret())).isEqualTo("sta");
        assertThat(l.words()).contains("start(");
        String imported = "Displayable.";
        assertThat(RunnerCompletionProvider.suggest(runner, imported, imported.length()).words())
                .contains("TEXT", "HTML", "PNG");
    }

    @Test
    void theCaretInTheMiddleOfADocumentCompletesItsOwnCell() {
        String doc = "words.col\n\nint later = 3;";
        int caret = "words.col".length();
        RunnerCompletionProvider.Located l = RunnerCompletionProvider.suggest(runner, doc, caret);
        assertThat(l.anchor()).isEqualTo("words.".length());
        assertThat(l.words()).contains("column(", "columnCount()", "columnNames()");
        assertThat(l.words()).doesNotHaveDuplicates();
    }

    @Test
    void nothingToCompleteGivesNoSuggestions() {
        String doc = "int x = 1;\n\n\"in a string ";
        assertThat(RunnerCompletionProvider.suggest(runner, doc, doc.length()).words()).isEmpty();
    }

    @Test
    void theSelectedSuggestionShowsItsSignatureAndJavadoc() {
        String doc = "var c = Core.op";
        RunnerCompletionProvider.Located l = RunnerCompletionProvider.suggest(runner, doc, doc.length());
        assertThat(l.words()).contains("open(");
        String summary = RunnerCompletionProvider.summary(runner, l.prefix(), "open(");
        assertThat(summary).contains("<code>Core Core.open(String path)</code>").contains("<code>Core Core.open(Path path)</code>");
        assertThat(summary).as("the javadoc of Core.open, as written in Core.java").contains("Opens a core file");
        assertThat(RunnerCompletionProvider.summary(runner, "", "noSuchThingAnywhere")).isNull();
    }

    @Test
    void javadocInlineTagsBecomeCode() {
        assertThat(RunnerCompletionProvider.inlineTags("like GNU {@code strings -a} (see {@link #open(Path)}, {@link Strings#grep})"))
                .isEqualTo("like GNU <code>strings -a</code> (see <code>open(Path)</code>, <code>Strings.grep</code>)");
        assertThat(RunnerCompletionProvider.inlineTags("a {@link Table}")).isEqualTo("a <code>Table</code>");
    }
}
