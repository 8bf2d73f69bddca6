package dev.leakscope.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CellsTest {

    private static List<String> sources(String text) {
        return Cells.split(text).stream().map(Cells.Cell::source).toList();
    }

    @Test
    void blankLinesSeparateCellsWhenThereAreNoSeparators() {
        String text = "var a = 1;\nvar b = 2;\n\n\na + b\n  \n";
        assertThat(sources(text)).containsExactly("var a = 1;\nvar b = 2;", "a + b");
    }

    @Test
    void aBlankLineInsideBracesCommentsOrTextBlocksDoesNotSplit() {
        String text = """
                int twice(int x) {
                    int y = x;

                    return y * 2;
                }

                /* a comment

                   over lines */

                String s = \"""
                    a

                    b { \""";

                twice(3)""";
        List<String> cells = sources(text);
        assertThat(cells).hasSize(4);
        assertThat(cells.get(0)).startsWith("int twice").endsWith("}");
        assertThat(cells.get(1)).startsWith("/* a comment").endsWith("over lines */");
        assertThat(cells.get(2)).startsWith("String s").endsWith("b { \"\"\";");
        assertThat(cells.get(3)).isEqualTo("twice(3)");
    }

    @Test
    void bracesInStringsCharsAndLineCommentsAreIgnored() {
        String text = "String s = \"{(\"; char c = '{'; // {\n\nnext()";
        assertThat(sources(text)).containsExactly("String s = \"{(\"; char c = '{'; // {", "next()");
    }

    @Test
    void separatorLinesWinOverBlankLines() {
        String text = "// --- load\nvar core = 1;\n\ncore + 1\n// ---\n\nprintln(2)\n---\n";
        assertThat(sources(text)).containsExactly("var core = 1;\n\ncore + 1", "println(2)");
        assertThat(Cells.isSeparator("//----- title")).isTrue();
        assertThat(Cells.isSeparator("  ---")).isTrue();
        assertThat(Cells.isSeparator("// -- two dashes")).isFalse();
        assertThat(Cells.isSeparator("x --- y")).isFalse();
    }

    @Test
    void offsetsPointIntoTheDocument() {
        String text = "\n\n  a();\n\nb();\r\nc();\r\n";
        for (Cells.Cell c : Cells.split(text)) {
            assertThat(text.substring(c.start(), c.end())).isEqualTo(c.source());
        }
        assertThat(sources(text)).containsExactly("  a();", "b();\r\nc();");
    }

    @Test
    void theCellAtTheCaretIsTheOneContainingItElseTheOneAbove() {
        String text = "a();\n\nb();\nc();\n\n\nd();";
        int inB = text.indexOf("c()") + 2;
        assertThat(Cells.at(text, inB).source()).isEqualTo("b();\nc();");
        int afterC = text.indexOf("c();") + 4;
        assertThat(Cells.at(text, afterC).source()).isEqualTo("b();\nc();");
        int blankBelowC = text.indexOf("d()") - 1;
        assertThat(Cells.at(text, blankBelowC).source()).isEqualTo("b();\nc();");
        assertThat(Cells.at("\n\nx();", 0).source()).isEqualTo("x();");
        assertThat(Cells.at("  \n", 1)).isNull();
    }

    @Test
    void runnableDropsSeparatorsFromASelection() {
        assertThat(Cells.runnable("a();\n// --- next\nb();\n")).isEqualTo("a();\nb();");
    }

    @Test
    void commentOnlyCellsAreProse() {
        List<Cells.Cell> cells = Cells.split("// # Why is it leaking?\n// look at the core\n\nx();");
        assertThat(cells.get(0).isComment()).isTrue();
        assertThat(cells.get(1).isComment()).isFalse();
    }

    @Test
    void theStatementBeingTypedStartsAfterTheLastTopLevelSemicolonOrBrace() {
        String text = "var core = Core.open(\"a;b\");\nfor (int i = 0; i < 3; i++) {\n  core.str";
        int start = Cells.statementStart(text, text.length());
        assertThat(text.substring(start)).isEqualTo("core.str");
        String inCall = "x();\nfoo(a; // ;\n  b.to";
        assertThat(inCall.substring(Cells.statementStart(inCall, inCall.length()))).isEqualTo("foo(a; // ;\n  b.to");
        assertThat(Cells.statementStart("abc", 3)).isZero();
    }

    @Test
    void knowsWhenTheCaretIsInAStringOrAComment() {
        assertThat(Cells.inLiteralOrComment("x(\"abc", 6)).isTrue();
        assertThat(Cells.inLiteralOrComment("x(\"abc\").", 8)).isFalse();
        assertThat(Cells.inLiteralOrComment("a(); // see core.", 17)).isTrue();
        assertThat(Cells.inLiteralOrComment("/* one\n two.", 12)).isTrue();
        assertThat(Cells.inLiteralOrComment("/* one */\ncore.", 15)).isFalse();
        String charLiteral = "char c = '\\'';\ncore.";
        assertThat(Cells.inLiteralOrComment(charLiteral, charLiteral.length())).isFalse();
    }
}
