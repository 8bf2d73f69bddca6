package dev.leakscope.kernel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.leakscope.Displayable;

/**
 * The magics of a cell, IPython style. A cell whose first line is {@code %%name} is a cell magic; elsewhere a line
 * starting with {@code %} is a line magic, run in order with the Java around it.
 *
 * <pre>
 * %jars PATH|GLOB…         add jars (or class directories) to the class path; also %classpath
 * %maven G:A:V…            add Maven Central artifacts and their dependencies (resolved by mvn)
 * %time STATEMENT          run a Java statement/expression and print its wall time; %%time for a cell
 * %doc EXPRESSION          show the signature and javadoc of what the expression names
 * %%html / %%markdown      show the cell body as HTML / Markdown
 * %lsmagic                 list the magics
 * </pre>
 */
final class Magics {

    static final Map<String, String> LINE = new LinkedHashMap<>();
    static final Map<String, String> CELL = new LinkedHashMap<>();

    static {
        LINE.put("jars", "%jars PATH|GLOB… — add jars or class directories to the class path");
        LINE.put("classpath", "%classpath PATH|GLOB… — same as %jars");
        LINE.put("maven", "%maven GROUP:ARTIFACT:VERSION… — add artifacts from Maven Central with their dependencies");
        LINE.put("time", "%time STATEMENT — run Java and print the wall time");
        LINE.put("doc", "%doc EXPRESSION — signature and javadoc of what the expression names");
        LINE.put("lsmagic", "%lsmagic — this list");
        CELL.put("time", "%%time — run the cell and print the wall time");
        CELL.put("html", "%%html — show the body as HTML");
        CELL.put("markdown", "%%markdown — show the body as Markdown");
    }

    private final Evaluator evaluator;

    Magics(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    static boolean isMagic(String code) {
        return code.lines().anyMatch(l -> l.stripLeading().startsWith("%"));
    }

    static boolean isCellMagic(String code) {
        return code.stripLeading().startsWith("%%");
    }

    Evaluator.Result run(String cell) {
        if (isCellMagic(cell)) {
            int lead = cell.length() - cell.stripLeading().length();
            int nl = cell.indexOf('\n', lead);
            String header = (nl < 0 ? cell.substring(lead) : cell.substring(lead, nl)).strip();
            String body = nl < 0 ? "" : cell.substring(nl + 1);
            int bodyLine = Evaluator.countLines(cell, nl < 0 ? cell.length() : nl + 1) + 1;
            return cellMagic(header.substring(2), body, bodyLine);
        }
        if (!isMagic(cell)) {
            return evaluator.runJava(cell, 1);
        }
        // line magics interleaved with Java
        Evaluator.Result last = Evaluator.Result.ok();
        StringBuilder java = new StringBuilder();
        int javaLine = 1;
        String[] lines = cell.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.stripLeading().startsWith("%")) {
                if (!java.toString().isBlank()) {
                    last = evaluator.runJava(java.toString(), javaLine);
                    if (last.isError()) {
                        return last;
                    }
                }
                java.setLength(0);
                last = lineMagic(l.strip().substring(1), i + 1);
                if (last.isError()) {
                    return last;
                }
                javaLine = i + 2;
            } else {
                if (java.length() == 0) {
                    javaLine = i + 1;
                }
                java.append(l).append('\n');
            }
        }
        if (!java.toString().isBlank()) {
            last = evaluator.runJava(java.toString(), javaLine);
        }
        return last;
    }

    private Evaluator.Result lineMagic(String text, int line) {
        String name = text.split("\\s+", 2)[0];
        String args = text.substring(name.length()).strip();
        switch (name) {
            case "jars", "classpath" -> {
                return addJars(args);
            }
            case "maven" -> {
                return maven(args);
            }
            case "time" -> {
                if (args.isBlank()) {
                    return usage("%time needs a statement on the same line; use %%time as the first line to time a cell");
                }
                return time(() -> evaluator.runJava(args, line));
            }
            case "doc" -> {
                return doc(args);
            }
            case "lsmagic" -> {
                StringBuilder b = new StringBuilder("Line magics:\n");
                LINE.values().forEach(v -> b.append("  ").append(v).append('\n'));
                b.append("Cell magics:\n");
                CELL.values().forEach(v -> b.append("  ").append(v).append('\n'));
                System.out.print(b);
                return Evaluator.Result.ok();
            }
            default -> {
                return unknown("%" + name, line, LINE.keySet(), "%");
            }
        }
    }

    private Evaluator.Result cellMagic(String header, String body, int bodyLine) {
        String name = header.split("\\s+", 2)[0];
        switch (name) {
            case "html" -> {
                Map<String, String> b = new LinkedHashMap<>();
                b.put(Displayable.HTML, body);
                b.put(Displayable.TEXT, body);
                evaluator.frontEnd().display(b, null);
                return Evaluator.Result.ok();
            }
            case "markdown", "md" -> {
                Map<String, String> b = new LinkedHashMap<>();
                b.put(Displayable.MARKDOWN, body);
                b.put(Displayable.TEXT, body);
                evaluator.frontEnd().display(b, null);
                return Evaluator.Result.ok();
            }
            case "time" -> {
                return time(() -> isMagic(body) ? run(body) : evaluator.runJava(body, bodyLine));
            }
            default -> {
                return unknown("%%" + name, 1, CELL.keySet(), "%%");
            }
        }
    }

    private static Evaluator.Result unknown(String magic, int line, Iterable<String> known, String prefix) {
        List<String> names = new ArrayList<>();
        known.forEach(k -> names.add(prefix + k));
        String msg = magic + " (cell line " + line + ") is not a magic; known: " + String.join(" ", names);
        return Evaluator.Result.error("UnknownMagic", msg, List.of("UnknownMagic: " + msg));
    }

    private Evaluator.Result time(java.util.function.Supplier<Evaluator.Result> body) {
        long t0 = System.nanoTime();
        Evaluator.Result r = body.get();
        long ns = System.nanoTime() - t0;
        System.out.println("Wall time: " + formatNanos(ns));
        return r;
    }

    static String formatNanos(long ns) {
        if (ns < 1_000_000) {
            return String.format("%.1f µs", ns / 1e3);
        }
        if (ns < 1_000_000_000) {
            return String.format("%.1f ms", ns / 1e6);
        }
        return String.format("%.2f s", ns / 1e9);
    }

    private Evaluator.Result doc(String expr) {
        if (expr.isBlank()) {
            return Evaluator.Result.error("UsageError", "%doc needs an expression, e.g. %doc Table.create",
                    List.of("UsageError: %doc needs an expression, e.g. %doc Table.create"));
        }
        List<Evaluator.Documentation> docs = evaluator.inspect(expr, expr.length());
        if (docs.isEmpty()) {
            String msg = "no documentation found for " + expr;
            return Evaluator.Result.error("NotFound", msg, List.of("NotFound: " + msg));
        }
        return Evaluator.Result.page(Inspection.bundle(docs));
    }

    private Evaluator.Result addJars(String args) {
        if (args.isBlank()) {
            return usage("%jars needs one or more paths or globs, e.g. %jars lib/*.jar");
        }
        List<Path> paths = new ArrayList<>();
        for (String a : args.split("\\s+")) {
            try {
                List<Path> found = glob(a);
                if (found.isEmpty()) {
                    String msg = "no file matches " + a + " (relative to " + Path.of("").toAbsolutePath() + ")";
                    return Evaluator.Result.error("FileNotFound", msg, List.of("FileNotFound: " + msg));
                }
                paths.addAll(found);
            } catch (IOException e) {
                return Evaluator.Result.error("FileNotFound", a + ": " + e, List.of("FileNotFound: " + a + ": " + e));
            }
        }
        try {
            List<String> added = evaluator.addToClasspath(paths);
            System.out.println("added to the class path: " + (added.isEmpty() ? "(already there)" : String.join(", ", added)));
            return Evaluator.Result.ok();
        } catch (IllegalArgumentException e) {
            return Evaluator.Result.error("FileNotFound", e.getMessage(), List.of("FileNotFound: " + e.getMessage()));
        }
    }

    static List<Path> glob(String pattern) throws IOException {
        String expanded = pattern.startsWith("~/") ? System.getProperty("user.home") + pattern.substring(1) : pattern;
        if (!expanded.contains("*") && !expanded.contains("?") && !expanded.contains("[")) {
            Path p = Path.of(expanded);
            return Files.exists(p) ? List.of(p) : List.of();
        }
        Path p = Path.of(expanded);
        Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p.getFileName());
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                if (m.matches(f.getFileName())) {
                    out.add(f);
                }
            }
        }
        out.sort(null);
        return out;
    }

    private Evaluator.Result maven(String args) {
        if (args.isBlank()) {
            return usage("%maven needs coordinates, e.g. %maven org.apache.commons:commons-math3:3.6.1");
        }
        try {
            List<Path> jars = MavenResolver.resolve(List.of(args.split("\\s+")));
            List<Path> fresh = new ArrayList<>();
            java.util.Set<String> have = new java.util.HashSet<>();
            for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                have.add(Path.of(e).getFileName() == null ? e : Path.of(e).getFileName().toString());
            }
            for (Path j : jars) {
                if (!have.contains(j.getFileName().toString())) {
                    fresh.add(j);
                }
            }
            List<String> added = evaluator.addToClasspath(fresh);
            System.out.println("added " + added.size() + " jar(s) from Maven: "
                    + added.stream().map(s -> Path.of(s).getFileName().toString()).reduce((a, b) -> a + ", " + b).orElse("(none new)"));
            return Evaluator.Result.ok();
        } catch (MavenResolver.ResolveException e) {
            return Evaluator.Result.error("MavenError", e.getMessage(), List.of("MavenError: " + e.getMessage()));
        }
    }

    private static Evaluator.Result usage(String msg) {
        return Evaluator.Result.error("UsageError", msg, List.of("UsageError: " + msg));
    }
}
