package dev.leakscope.kernel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.leakscope.Displayable;
import dev.leakscope.Progress;

/**
 * Progress in a notebook: one display per task, updated in place (display_data, then update_display_data with
 * the same display_id): an HTML {@code <progress>} bar and a text bar for clients that show only text.
 */
final class JupyterProgress implements Progress.Listener {

    private static final AtomicLong IDS = new AtomicLong();
    private final FrontEnd frontEnd;
    private final Map<Progress, Task> tasks = new ConcurrentHashMap<>();

    private record Task(String id, long startNanos) {
    }

    JupyterProgress(FrontEnd frontEnd) {
        this.frontEnd = frontEnd;
    }

    @Override
    public void started(Progress p) {
        Task t = new Task("leakscope-progress-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet(), System.nanoTime());
        tasks.put(p, t);
        flush();
        frontEnd.display(bundle(p, t, false), t.id());
    }

    @Override
    public void updated(Progress p) {
        Task t = tasks.get(p);
        if (t != null) {
            flush();
            frontEnd.updateDisplay(bundle(p, t, false), t.id());
        }
    }

    @Override
    public void finished(Progress p) {
        Task t = tasks.remove(p);
        if (t != null) {
            frontEnd.updateDisplay(bundle(p, t, true), t.id());
        }
    }

    private static void flush() {
        Evaluator e = Evaluator.current();
        if (e != null) {
            e.flush();
        }
    }

    static Map<String, String> bundle(Progress p, Task t, boolean finished) {
        double f = p.fraction();
        long seconds = (System.nanoTime() - t.startNanos()) / 1_000_000_000L;
        String state = finished ? (p.isCancelled() ? "cancelled" : "done") : "";
        String counts = p.total() > 0 ? String.format("%,d / %,d", p.done(), p.total()) : String.format("%,d", p.done());
        String pct = f >= 0 ? String.format("%3.0f%%", f * 100) : "";
        String elapsed = String.format("%d:%02d", seconds / 60, seconds % 60);
        int width = 30;
        String bar;
        if (f >= 0) {
            int full = (int) Math.round(f * width);
            bar = "[" + "#".repeat(full) + " ".repeat(width - full) + "]";
        } else {
            bar = "[" + (finished ? "#".repeat(width) : "?".repeat(width)) + "]";
        }
        String text = String.join("  ", p.task(), bar, pct, counts, elapsed, state).replaceAll("\\s+$", "");
        StringBuilder html = new StringBuilder("<div class=\"leakscope-progress\" style=\"font-family:monospace\">");
        html.append(TableHtml.escape(p.task())).append(" <progress style=\"width:20em\" max=\"1\"");
        if (f >= 0) {
            html.append(" value=\"").append(String.format("%.4f", f)).append('"');
        } else if (finished) {
            html.append(" value=\"1\"");
        }
        html.append("></progress> ").append(pct).append(' ').append(counts).append(' ').append(elapsed);
        if (!state.isEmpty()) {
            html.append(" <b>").append(state).append("</b>");
        }
        html.append("</div>");
        Map<String, String> b = new LinkedHashMap<>();
        b.put(Displayable.TEXT, text);
        b.put(Displayable.HTML, html.toString());
        return b;
    }
}
