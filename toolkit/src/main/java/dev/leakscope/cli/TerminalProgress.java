package dev.leakscope.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.leakscope.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress as a text bar on a terminal (jshell, the command line), drawn by the progressbar library: one bar per
 * running task, redrawn in place with {@code \r}, rate, and ETA. {@code ./leakscope shell} installs it at startup.
 */
public final class TerminalProgress implements Progress.Listener {

    private final PrintStream out;
    private final Map<Progress, ProgressBar> bars = new ConcurrentHashMap<>();

    /** Bars on {@code out} (usually {@code System.err}, so they do not mix with results on stdout). */
    public TerminalProgress(PrintStream out) {
        this.out = out;
    }

    /** Installs text bars on {@code System.err} as the progress listener of this JVM. */
    public static void install() {
        Progress.setListener(new TerminalProgress(System.err));
    }

    @Override
    public void started(Progress p) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(p.task())
                .setInitialMax(p.total() > 0 ? p.total() : -1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .setMaxRenderedLength(100)
                .setConsumer(new ConsoleProgressBarConsumer(out, 100))
                .build();
        bars.put(p, bar);
    }

    @Override
    public void updated(Progress p) {
        ProgressBar bar = bars.get(p);
        if (bar != null) {
            bar.stepTo(p.done());
        }
    }

    @Override
    public void finished(Progress p) {
        ProgressBar bar = bars.remove(p);
        if (bar != null) {
            bar.stepTo(p.done());
            if (p.total() <= 0) {
                bar.maxHint(p.done());
            }
            if (p.isCancelled()) {
                bar.setExtraMessage("cancelled");
            }
            bar.close();
        }
    }
}
