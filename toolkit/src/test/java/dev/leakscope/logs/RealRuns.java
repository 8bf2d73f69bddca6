package dev.leakscope.logs;

import dev.leakscope.testing.Artifacts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The real runs the log, verdict, metrics and report tests share: the example app leaking and healthy for 60 s,
 * with and without --trace-gc, all four made at once (in parallel) the first time any test asks, then reused.
 */
public final class RealRuns {

    private RealRuns() {
    }

    private static volatile boolean made;

    /** Makes the four 60 s runs (in parallel) and the short per-format runs, once. */
    public static synchronized void makeAll() {
        if (made) {
            return;
        }
        List<CompletableFuture<Path>> all = new ArrayList<>();
        for (String mode : List.of("leak", "healthy")) {
            for (boolean gc : List.of(true, false)) {
                all.add(CompletableFuture.supplyAsync(() -> run(mode, gc)));
            }
        }
        all.add(CompletableFuture.supplyAsync(RealRuns::formats));
        all.forEach(CompletableFuture::join);
        made = true;
    }

    /** A 60 s run folder (app.log, app.err, spans.json, scrapes.prom), 16 KiB per request; leak ones block the loop every 7 s. */
    public static Path run(String mode, boolean traceGc) {
        List<String> args = new ArrayList<>(List.of("run", "OUT", "--mode", mode, "--seconds", "60", "--scrape-every", "2"));
        if (traceGc) {
            args.add("--trace-gc");
        }
        // 16 KiB per request: the leak outgrows the noise of a loaded 2-core machine; both modes do the same work
        args.addAll(List.of("--", "--payload", "16384"));
        if (mode.equals("leak")) {
            args.addAll(List.of("--block-every", "7", "--block-ms", "150"));
        }
        return Artifacts.get("run16k-" + mode + (traceGc ? "-gc" : "-nogc"), args.toArray(String[]::new));
    }

    /** The short per --log-format runs: DIR/&lt;format&gt;.log, and DIR/errors.log/.err (EMFILE under ulimit -n 80). */
    public static Path formats() {
        return Artifacts.get("log-formats", "formats", "OUT", "--seconds", "4");
    }

    /** Runs a command (an independent tool: grep, awk, jq, node) and returns its stdout lines. */
    public static List<String> tool(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            List<String> lines = new ArrayList<>();
            for (String l : out.split("\n")) {
                if (!l.isEmpty()) {
                    lines.add(l);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
