package dev.leakscope.workbench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import javax.swing.text.BadLocationException;
import javax.swing.text.JTextComponent;
import org.fife.ui.autocomplete.BasicCompletion;
import org.fife.ui.autocomplete.Completion;
import org.fife.ui.autocomplete.DefaultCompletionProvider;

/**
 * Feeds the editor's completion popup from the evaluator's JShell completion: the toolkit's DSL (everything
 * imported in the cells) and JShell's own suggestions (variables, methods, classes, keywords), for the
 * statement being typed; nothing inside strings and comments.
 */
final class RunnerCompletionProvider extends DefaultCompletionProvider {

    private final CellRunner runner;
    private final BooleanSupplier busy;
    private String lastKey;
    private Located last;

    /**
     * Completions placed in a document: they replace {@code [anchor, caret)}; {@code prefix} is the statement's
     * text before the anchor (what a suggestion completes, for its documentation).
     */
    record Located(int anchor, int caret, List<String> words, String prefix) {
        Located(int anchor, int caret, List<String> words) {
            this(anchor, caret, words, "");
        }
    }

    RunnerCompletionProvider(CellRunner runner, BooleanSupplier busy) {
        this.runner = runner;
        this.busy = busy;
        setAutoActivationRules(false, ".");
    }

    /**
     * The suggestions at {@code caret} in {@code text}: asks the runner about the statement being typed (from
     * {@link Cells#statementStart}, not crossing the cell's start) and maps its anchor back into the document.
     * Duplicates (overloads) are dropped; suggestions matching the expected type come first.
     */
    static Located suggest(CellRunner runner, String text, int caret) {
        if (Cells.inLiteralOrComment(text, caret)) {
            return new Located(caret, caret, List.of());
        }
        int start = Cells.statementStart(text, caret);
        Cells.Cell cell = Cells.at(text, caret);
        if (cell != null && cell.contains(caret)) {
            start = Math.max(start, cell.start());
        }
        start = Math.min(start, caret);
        String statement = text.substring(start, caret);
        CellRunner.Completions c = runner.complete(statement, statement.length());
        Set<String> first = new LinkedHashSet<>();
        Set<String> rest = new LinkedHashSet<>();
        for (CellRunner.Suggestion s : c.suggestions()) {
            (s.matchesType() ? first : rest).add(s.continuation());
        }
        List<String> words = new ArrayList<>(first);
        rest.removeAll(first);
        words.addAll(rest);
        return new Located(start + c.anchor(), caret, words, statement.substring(0, Math.min(c.anchor(), statement.length())));
    }

    private Located located(JTextComponent comp) {
        int caret = comp.getCaretPosition();
        String text;
        try {
            text = comp.getDocument().getText(0, comp.getDocument().getLength());
        } catch (BadLocationException e) {
            return new Located(caret, caret, List.of());
        }
        String key = caret + "\u0000" + text.substring(0, caret);
        if (!key.equals(lastKey)) {
            last = busy.getAsBoolean() ? new Located(caret, caret, List.of()) : suggest(runner, text, caret);
            lastKey = key;
        }
        return last;
    }

    @Override
    public String getAlreadyEnteredText(JTextComponent comp) {
        Located l = located(comp);
        try {
            return comp.getDocument().getText(l.anchor(), l.caret() - l.anchor());
        } catch (BadLocationException e) {
            return "";
        }
    }

    @Override
    protected List<Completion> getCompletionsImpl(JTextComponent comp) {
        Located l = located(comp);
        List<Completion> out = new ArrayList<>();
        for (String w : l.words()) {
            out.add(new Documented(this, w, l.prefix()));
        }
        return out;
    }

    /**
     * The documentation window's text for suggestion {@code word} completing {@code prefix}: each signature in
     * bold with its javadoc (as JShell finds it); {@code null} when there is none.
     */
    static String summary(CellRunner runner, String prefix, String word) {
        String name = word.endsWith("()") ? word.substring(0, word.length() - 2)
                : word.endsWith("(") ? word.substring(0, word.length() - 1) : word;
        String code = prefix + name;
        List<CellRunner.Doc> docs = runner.documentation(code, code.length());
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("<html><body>");
        for (CellRunner.Doc d : docs.subList(0, Math.min(docs.size(), 6))) {
            sb.append("<p><b><code>").append(escape(d.signature())).append("</code></b></p>");
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                String j = d.javadoc().strip();
                sb.append("<p>").append(inlineTags(escape(j.length() > 800 ? j.substring(0, 799) + "…" : j))
                        .replace("\n", "<br>")).append("</p>");
            }
        }
        return sb.append("</body></html>").toString();
    }

    /** Javadoc's inline tags as HTML: {@code {@code x}} as code, {@code {@link A#b}} as {@code A.b}. */
    static String inlineTags(String html) {
        String s = html.replaceAll("\\{@(?:code|literal)\\s+([^}]*)}", "<code>$1</code>");
        s = s.replaceAll("\\{@(?:link|linkplain)\\s+#([^\\s}]+)(?:\\s+([^}]*))?}", "<code>$1</code>");
        return s.replaceAll("\\{@(?:link|linkplain)\\s+([^\\s}#]*)#?([^\\s}]*)(?:\\s+([^}]*))?}", "<code>$1.$2</code>")
                .replace(".</code>", "</code>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A suggestion whose documentation is looked up when it is selected, not for the whole list. */
    private final class Documented extends BasicCompletion {
        private final String prefix;
        private String summary;
        private boolean looked;

        Documented(RunnerCompletionProvider p, String word, String prefix) {
            super(p, word);
            this.prefix = prefix;
        }

        @Override
        public String getSummary() {
            if (!looked) {
                looked = true;
                summary = busy.getAsBoolean() ? null : RunnerCompletionProvider.summary(runner, prefix, getReplacementText());
            }
            return summary;
        }
    }
}
