package dev.leakscope.workbench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The cells run so far, in order, with what each produced; thread-safe. */
public final class Session {

    /**
     * One run of a cell.
     *
     * @param count  the execution count, from 1 (shown as {@code [n]}, kept in the exported notebook)
     * @param source the source that ran
     * @param result what it produced
     */
    public record Run(int count, String source, CellResult result) {
    }

    private final List<Run> runs = new ArrayList<>();

    /** Records a run of {@code source} and returns it with the next execution count. */
    public synchronized Run add(String source, CellResult result) {
        Run r = new Run(runs.size() + 1, source, result);
        runs.add(r);
        return r;
    }

    /** The next execution count. */
    public synchronized int nextCount() {
        return runs.size() + 1;
    }

    /** The runs so far, oldest first. */
    public synchronized List<Run> runs() {
        return List.copyOf(runs);
    }

    /** The latest run whose source is {@code source} (compared without surrounding whitespace). */
    public synchronized Optional<Run> lastRunOf(String source) {
        String s = source.strip();
        for (int i = runs.size() - 1; i >= 0; i--) {
            if (runs.get(i).source().strip().equals(s)) {
                return Optional.of(runs.get(i));
            }
        }
        return Optional.empty();
    }

    /** Forgets every run (after a restart of the evaluator). */
    public synchronized void clear() {
        runs.clear();
    }
}
