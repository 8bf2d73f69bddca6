package dev.leakscope.workbench;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * A {@link CellRunner} over an in-process JShell ("local" execution engine), so values are real objects and
 * progress listeners see the work. Stands in for the kernel's shared evaluator until it lands on main.
 */
public final class JShellCellRunner implements CellRunner {

    /** Imports every cell sees, as in the Jupyter kernel and {@code leakscope shell}. */
    public static final List<String> IMPORTS = List.of("import dev.leakscope.*;", "import tech.tablesaw.api.*;");

    private static volatile Object handoff;

    private final JShell shell;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private volatile boolean running;
    private volatile boolean stopped;

    public JShellCellRunner() {
        shell = JShell.builder().executionEngine("local").build();
        for (String entry : classPath().split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
        for (String imp : IMPORTS) {
            shell.eval(imp);
        }
    }

    /** Receives the value of the last expression from the snippet; public for JShell's generated code. */
    public static void handoff(Object value) {
        handoff = value;
    }

    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null ? surefire : System.getProperty("java.class.path");
    }

    @Override
    public synchronized CellResult run(String source) {
        out.reset();
        err.reset();
        stopped = false;
        running = true;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        Object value = null;
        boolean hasValue = false;
        CellResult.Error error = null;
        try {
            SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
            String rest = source;
            int consumed = 0;
            while (!rest.isBlank() && error == null && !stopped) {
                SourceCodeAnalysis.CompletionInfo info = sca.analyzeCompletion(rest);
                String snippet = info.source() != null ? info.source() : rest;
                int line = lineOf(source, consumed + leadingWhitespace(rest));
                consumed += rest.length() - info.remaining().length();
                rest = info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE ? "" : info.remaining();
                hasValue = false;
                value = null;
                for (SnippetEvent e : shell.eval(snippet)) {
                    if (e.causeSnippet() != null) {
                        continue;
                    }
                    if (e.exception() != null) {
                        error = exception(e.exception(), line);
                    } else if (e.status() == Snippet.Status.REJECTED) {
                        error = compileError(e.snippet(), line);
                    } else if (e.value() != null && isValued(e.snippet())) {
                        hasValue = true;
                        value = fetch(e.snippet());
                    }
                }
            }
        } finally {
            running = false;
            System.out.flush();
            System.err.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        if (stopped && error == null) {
            error = new CellResult.Error("Cancelled", "the cell was stopped", List.of());
        }
        Map<String, String> bundle = hasValue && error == null ? Rendering.bundle(value) : Map.of();
        return new CellResult(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                error == null ? value : null, hasValue && error == null, bundle, error);
    }

    /** An expression (not a declaration, which JShell echoes too): its value is the cell's value. */
    private static boolean isValued(Snippet s) {
        return s.kind() == Snippet.Kind.EXPRESSION || s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
    }

    private Object fetch(Snippet s) {
        String name = s instanceof jdk.jshell.VarSnippet v ? v.name()
                : s instanceof jdk.jshell.ExpressionSnippet x ? x.name() : null;
        if (name == null) {
            return null;
        }
        handoff = null;
        shell.eval(JShellCellRunner.class.getName() + ".handoff(" + name + ");").forEach(x -> shell.drop(x.snippet()));
        return handoff;
    }

    private CellResult.Error compileError(Snippet s, int line) {
        List<String> frames = new ArrayList<>();
        String message = "";
        for (Diag d : shell.diagnostics(s).toList()) {
            if (!d.isError()) {
                continue;
            }
            int at = (int) Math.max(0, d.getStartPosition());
            String msg = d.getMessage(Locale.ROOT);
            if (message.isEmpty()) {
                message = msg;
            }
            int lead = leadingWhitespace(s.source());
            String src = s.source().substring(lead);
            int rel = Math.max(0, at - lead);
            frames.add("at cell line " + (line + lineOf(src, rel) - 1) + ": " + lineText(src, rel).strip());
        }
        if (message.isEmpty()) {
            message = "cannot compile: " + s.source().strip();
        }
        return new CellResult.Error("CompileError", message, frames);
    }

    private static CellResult.Error exception(JShellException ex, int line) {
        String kind = ex instanceof EvalException ee ? ee.getExceptionClassName()
                : ex instanceof UnresolvedReferenceException ? "UnresolvedReference" : ex.getClass().getName();
        String message = ex.getMessage();
        if (ex instanceof UnresolvedReferenceException ure) {
            message = "not yet defined: " + ure.getSnippet().source().strip();
        }
        return new CellResult.Error(kind, message, Rendering.userFrames(ex, line));
    }

    @Override
    public Completions complete(String source, int cursor) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> list = shell.sourceCodeAnalysis().completionSuggestions(source, cursor, anchor);
        List<Suggestion> out = new ArrayList<>();
        for (SourceCodeAnalysis.Suggestion s : list) {
            out.add(new Suggestion(s.continuation(), s.matchesType()));
        }
        return new Completions(anchor[0], out);
    }

    @Override
    public void cancel() {
        if (running) {
            stopped = true;
            shell.stop();
        }
    }

    @Override
    public void close() {
        shell.close();
    }

    static int lineOf(String s, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String lineText(String s, int offset) {
        int a = s.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
        if (offset == 0) {
            a = 0;
        }
        int b = s.indexOf('\n', offset);
        return s.substring(a, b < 0 ? s.length() : b);
    }

    private static int leadingWhitespace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
