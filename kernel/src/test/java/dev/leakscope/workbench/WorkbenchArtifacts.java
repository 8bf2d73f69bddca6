package dev.leakscope.workbench;

import dev.leakscope.testing.Artifacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The real artifacts the workbench tests use (made once per run by the toolkit's Artifacts fixture). */
final class WorkbenchArtifacts {

    private WorkbenchArtifacts() {
    }

    /** A kernel-written core of the leaking example app (shared with the core tests). */
    static Path core() {
        return Artifacts.get("leak-kernel.core", "core", "kernel", "OUT", "--seconds", "5");
    }

    /** One V8 heap snapshot of the leaking app, taken after one second. */
    static Path snapshot() {
        Path dir = Artifacts.get("workbench-snapshots", "snapshots", "OUT", "--at", "1");
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".heapsnapshot")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no .heapsnapshot in " + dir));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two seconds of the leaking app's stdout with --trace-gc. */
    static Path log() {
        return Artifacts.get("workbench-leak-2s.log", "log", "OUT", "--seconds", "2", "--trace-gc");
    }

    /** Runs {@code bash -c script} and returns its stdout; fails on a non-zero exit. */
    static String sh(String script) {
        try {
            Process p = new ProcessBuilder("bash", "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("failed: " + script);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Quotes {@code s} for bash. */
    static String q(Object s) {
        return "'" + s.toString().replace("'", "'\\''") + "'";
    }
}
