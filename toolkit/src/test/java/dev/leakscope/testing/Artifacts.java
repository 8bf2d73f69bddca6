package dev.leakscope.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Real artifacts made by real processes, at test time, once: every test class asking for the same name gets
 * the same file under {@code <repo>/target/artifacts/}. They come from {@code examples/make-artifacts.sh}
 * running the example apps (node, gcore, SIGABRT…), never from committed fixtures.
 */
public final class Artifacts {

    private static final ConcurrentHashMap<String, Path> MADE = new ConcurrentHashMap<>();

    private Artifacts() {
    }

    /** The repository root: the {@code leakscope.projectDir} property, else the nearest folder holding {@code leakscope}. */
    public static Path root() {
        String p = System.getProperty("leakscope.projectDir");
        if (p != null && Files.isRegularFile(Paths.get(p, "leakscope"))) {
            return Paths.get(p).toAbsolutePath();
        }
        Path d = Paths.get("").toAbsolutePath();
        while (d != null && !Files.isRegularFile(d.resolve("leakscope"))) {
            d = d.getParent();
        }
        if (d == null) {
            throw new IllegalStateException("cannot find the repository root (no 'leakscope' script above " + Paths.get("").toAbsolutePath() + ")");
        }
        return d;
    }

    /** Where artifacts are made: {@code <repo>/target/artifacts}. */
    public static Path dir() {
        return root().resolve("target").resolve("artifacts");
    }

    /**
     * The artifact {@code name}, made on first use by {@code make-artifacts.sh ARGS}, where the argument
     * {@code "OUT"} stands for the output path. Made into a temporary name and renamed, so a failed run leaves
     * nothing half-written behind.
     * Example: {@code Artifacts.get("leak-kernel.core", "core", "kernel", "OUT", "--seconds", "5")}.
     */
    public static Path get(String name, String... makeArgs) {
        return MADE.computeIfAbsent(name, n -> make(n, makeArgs));
    }

    private static Path make(String name, String... makeArgs) {
        Path out = dir().resolve(name);
        if (Files.exists(out)) {
            return out;
        }
        try {
            Files.createDirectories(dir());
            Path tmp = dir().resolve(name + ".making");
            deleteRecursively(tmp);
            List<String> cmd = new ArrayList<>();
            cmd.add("bash");
            cmd.add(root().resolve("examples/make-artifacts.sh").toString());
            for (String a : makeArgs) {
                cmd.add(a.equals("OUT") ? tmp.toString() : a);
            }
            Path log = dir().resolve(name + ".make.log");
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!proc.waitFor(15, TimeUnit.MINUTES)) {
                proc.destroyForcibly();
                throw new IllegalStateException("make-artifacts timed out: " + cmd);
            }
            if (proc.exitValue() != 0 || !Files.exists(tmp)) {
                throw new IllegalStateException("make-artifacts failed (exit " + proc.exitValue() + "): " + cmd
                        + "\n" + Files.readString(log));
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make artifact " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted making " + name, e);
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        if (Files.isDirectory(p)) {
            try (var s = Files.list(p)) {
                for (Path c : (Iterable<Path>) s::iterator) {
                    deleteRecursively(c);
                }
            }
        }
        Files.delete(p);
    }
}
