package dev.leakscope.core;

import dev.leakscope.testing.Artifacts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real cores the core tests share (made once per run by the Artifacts fixture) and a way to run peer tools. */
public final class TestCores {

    private TestCores() {
    }

    /** A kernel-written core (ulimit -c unlimited + SIGABRT) of the leaking example app, ~80 MB. */
    public static Path kernel() {
        return Artifacts.get("leak-kernel.core", "core", "kernel", "OUT", "--seconds", "5");
    }

    /** A gcore-written core of the leaking example app, ~1 GB. */
    public static Path gcore() {
        return Artifacts.get("leak-gcore.core", "core", "gcore", "OUT", "--seconds", "5");
    }

    private static volatile String node;

    /**
     * The node binary the example apps run on: {@code node} on PATH, as make-artifacts.sh runs it, by the path the
     * kernel knows it by (process.execPath: what a core's file mappings name, past symlinks and version-manager
     * shims). Not always /usr/bin/node: a machine may carry node from elsewhere.
     */
    public static String node() {
        if (node == null) {
            node = run("node", "-e", "process.stdout.write(process.execPath)").trim();
        }
        return node;
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, Path> GNU = new java.util.concurrent.ConcurrentHashMap<>();

    /** GNU {@code strings -a OPTS CORE} written once per run to a file next to the artifacts, for pipelines to read. */
    public static Path gnuStrings(Path core, String... opts) {
        String key = core + " " + String.join(" ", opts);
        return GNU.computeIfAbsent(key, k -> {
            Path out = Artifacts.dir().resolve(core.getFileName() + ".strings" + String.join("", opts) + ".txt");
            sh("strings -a " + String.join(" ", opts) + " '" + core + "' > '" + out + ".tmp' && mv '" + out + ".tmp' '" + out + "'");
            return out;
        });
    }

    /** Runs a peer tool and returns its stdout (stderr discarded); fails on a non-zero exit. */
    public static String run(String... cmd) {
        try {
            Path out = java.nio.file.Files.createTempFile("leakscope-tool", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out: " + String.join(" ", cmd));
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", cmd));
                }
                return java.nio.file.Files.readString(out, StandardCharsets.ISO_8859_1);
            } finally {
                java.nio.file.Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a shell pipeline with bash -c. */
    public static String sh(String script) {
        return run("bash", "-c", script);
    }

    /** Lines of a text. */
    public static List<String> lines(String s) {
        List<String> l = new ArrayList<>(List.of(s.split("\n", -1)));
        if (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
            l.remove(l.size() - 1);
        }
        return l;
    }
}
