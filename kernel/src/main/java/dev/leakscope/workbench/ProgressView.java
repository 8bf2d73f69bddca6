package dev.leakscope.workbench;

import dev.leakscope.Progress;
import java.awt.Dimension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.swing.JProgressBar;
import javax.swing.Timer;

/**
 * The progress bar of the running cell: listens to {@link Progress} (from worker threads) and repaints ten times
 * a second on the Swing thread, so long scans never flood or block the UI. Shows the most recently started
 * unfinished task; an indeterminate bar when the cell runs without reporting progress.
 */
final class ProgressView extends JProgressBar implements Progress.Listener {

    private final List<Progress> active = new CopyOnWriteArrayList<>();
    private volatile String running;
    private final Timer timer;

    ProgressView() {
        setStringPainted(true);
        setString("idle");
        setPreferredSize(new Dimension(360, getPreferredSize().height));
        timer = new Timer(100, e -> refresh());
        timer.start();
    }

    /** Tells the bar a cell is running ({@code label}), or none ({@code null}). */
    void running(String label) {
        running = label;
        if (label == null) {
            active.clear();
        }
    }

    /** The unfinished tasks, oldest first. */
    List<Progress> active() {
        return new ArrayList<>(active);
    }

    @Override
    public void started(Progress p) {
        active.add(p);
    }

    @Override
    public void updated(Progress p) {
    }

    @Override
    public void finished(Progress p) {
        active.remove(p);
    }

    /** The text the bar shows now. */
    String text() {
        return getString();
    }

    private void refresh() {
        Progress p = active.isEmpty() ? null : active.get(active.size() - 1);
        String cell = running;
        if (p != null) {
            double f = p.fraction();
            String state = p.isCancelled() ? " — cancelling…" : "";
            if (f >= 0) {
                setIndeterminate(false);
                setValue((int) Math.round(f * 1000));
                setMaximum(1000);
                setString(String.format("%s: %.0f %% (%,d of %,d)%s", p.task(), f * 100, p.done(), p.total(), state));
            } else {
                setIndeterminate(true);
                setString(String.format("%s: %,d%s", p.task(), p.done(), state));
            }
        } else if (cell != null) {
            setIndeterminate(true);
            setString(cell);
        } else {
            setIndeterminate(false);
            setValue(0);
            setString("idle");
        }
    }

    void dispose() {
        timer.stop();
    }
}
