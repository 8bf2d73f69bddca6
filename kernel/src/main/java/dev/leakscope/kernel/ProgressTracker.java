package dev.leakscope.kernel;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.leakscope.Progress;

/**
 * The process-wide {@link Progress} listener while an {@link Evaluator} lives: remembers the running tasks (so an
 * interrupt can cancel them) and forwards events to the front end's view (a Jupyter bar, a Swing bar…).
 */
final class ProgressTracker implements Progress.Listener {

    private final Set<Progress> active = ConcurrentHashMap.newKeySet();
    private volatile Progress.Listener view;

    ProgressTracker() {
        Progress.setListener(this);
    }

    void view(Progress.Listener v) {
        view = v;
    }

    /** Asks every running task to stop at its next {@code checkCancelled()}. */
    void cancelAll() {
        active.forEach(Progress::cancel);
    }

    @Override
    public void started(Progress p) {
        active.add(p);
        Progress.Listener v = view;
        if (v != null) {
            v.started(p);
        }
    }

    @Override
    public void updated(Progress p) {
        Progress.Listener v = view;
        if (v != null) {
            v.updated(p);
        }
    }

    @Override
    public void finished(Progress p) {
        active.remove(p);
        Progress.Listener v = view;
        if (v != null) {
            v.finished(p);
        }
    }
}
