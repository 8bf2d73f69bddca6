package dev.leakscope;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of one long piece of work (a core scan, a snapshot load), reported to whichever front end is
 * listening: a text bar in jshell and on the command line, an updating display in Jupyter, a bar with
 * Cancel in the workbench. Work calls {@link #step(long)} from any thread; front ends install a
 * {@link Listener}. Cancelling interrupts nothing by itself: work calls {@link #checkCancelled()}.
 */
public final class Progress implements AutoCloseable {

    /** Receives progress events; called from worker threads, so implementations must be thread-safe. */
    public interface Listener {
        void started(Progress p);

        void updated(Progress p);

        void finished(Progress p);
    }

    private static final Listener SILENT = new Listener() {
        public void started(Progress p) { }
        public void updated(Progress p) { }
        public void finished(Progress p) { }
    };

    private static volatile Listener listener = SILENT;

    private final String task;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private final Listener sink;
    private final Thread owner;
    private volatile boolean cancelled;
    private volatile long lastReportNanos;

    private Progress(String task, long total, Listener sink) {
        this.task = task;
        this.total = total;
        this.sink = sink;
        this.owner = Thread.currentThread();
    }

    /** Installs the listener for all progress from now on; {@code null} silences progress. */
    public static void setListener(Listener l) {
        listener = l == null ? SILENT : l;
    }

    /** The installed listener. */
    public static Listener listener() {
        return listener;
    }

    /** Starts reporting a task of {@code total} units (bytes, nodes…); total ≤ 0 means unknown. */
    public static Progress start(String task, long total) {
        Progress p = new Progress(Objects.requireNonNull(task), total, listener);
        p.sink.started(p);
        return p;
    }

    /** Adds {@code n} units of work done; rate-limited to about 10 listener updates a second. */
    public void step(long n) {
        long d = done.addAndGet(n);
        long now = System.nanoTime();
        if (now - lastReportNanos > 100_000_000L || (total > 0 && d >= total)) {
            lastReportNanos = now;
            sink.updated(this);
        }
    }

    /** Throws {@link CancellationException} if the work was cancelled or its starting thread interrupted. */
    public void checkCancelled() {
        if (cancelled || owner.isInterrupted()) {
            throw new CancellationException(task + " cancelled");
        }
    }

    /** Asks the work to stop at its next {@link #checkCancelled()}. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public String task() {
        return task;
    }

    /** Total units, or ≤ 0 when unknown. */
    public long total() {
        return total;
    }

    public long done() {
        return done.get();
    }

    /** Fraction done in [0, 1], or -1 when the total is unknown. */
    public double fraction() {
        return total > 0 ? Math.min(1.0, done.get() / (double) total) : -1;
    }

    @Override
    public void close() {
        sink.finished(this);
    }
}
