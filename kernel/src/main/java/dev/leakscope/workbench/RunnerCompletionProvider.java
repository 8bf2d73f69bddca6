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

    /** Completions placed in a document: they replace {@code [anchor, caret)}. */
    record Located(int anchor, int caret, List<String> words) {
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
        return new Located(start + c.anchor(), caret, words);
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
        List<Completion> out = new ArrayList<>();
        for (String w : located(comp).words()) {
            out.add(new BasicCompletion(this, w));
        }
        return out;
    }
}
