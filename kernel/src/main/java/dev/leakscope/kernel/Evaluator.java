package dev.leakscope.kernel;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import dev.leakscope.Displayable;
import dev.leakscope.Progress;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * The one JShell evaluator behind every leakscope front end (the Jupyter kernel, the desktop workbench):
 * runs cells of Java (plus magics, see {@link Magics}) in this JVM with the toolkit loaded and
 * {@code import dev.leakscope.*; import tech.tablesaw.api.*;} done, and answers completion, inspection and
 * "is this complete?" from JShell's {@link SourceCodeAnalysis}.
 *
 * <p>Values are live objects ({@link Result#value()}), rendered by {@link Renderers}. A running cell can be
 * stopped from another thread with {@link #interrupt()} (see {@link CellExecutionControl}); {@code System.exit}
 * in a cell throws instead of ending the process (see {@link ExitGuard}). What cells print goes to the
 * {@link FrontEnd} in batches. One evaluator per JVM: {@code System.out}, {@code System.err} and the
 * {@link Progress} listener are process-wide.
 */
public final class Evaluator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Evaluator.class.getName());

    /** Imports done before the first cell. */
    public static final List<String> IMPORTS = List.of(
            "import dev.leakscope.*;",
            "import tech.tablesaw.api.*;",
            "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
            "import java.time.*;", "import java.util.*;", "import java.util.concurrent.*;",
            "import java.util.function.*;", "import java.util.regex.*;", "import java.util.stream.*;",
            // display(x), display(x, id), updateDisplay(x, id), clearOutput() in every cell
            "import static dev.leakscope.kernel.Cells.*;");

    private static volatile Evaluator current;

    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final CellExecutionControl control;
    private final OutputCapture output;
    private final ProgressTracker progress;
    private final Magics magics;
    private final Map<String, int[]> snippetLines = new ConcurrentHashMap<>(); // snippet id -> {cell, first line}
    private final Set<String> classPath = new LinkedHashSet<>();
    private volatile boolean exitGuarded;
    private int cellNumber;

    /** What a cell produced. */
    public static final class Result {
        /** How a cell ended. */
        public enum Status { OK, ERROR, INTERRUPTED }

        private static final Object NO_VALUE = new Object();

        private final Status status;
        private final Object value;
        private final String errorName;
        private final String errorMessage;
        private final List<String> traceback;
        private final Map<String, String> page;

        private Result(Status status, Object value, String errorName, String errorMessage, List<String> traceback,
                Map<String, String> page) {
            this.status = status;
            this.value = value;
            this.errorName = errorName;
            this.errorMessage = errorMessage;
            this.traceback = traceback;
            this.page = page;
        }

        static Result ok() {
            return new Result(Status.OK, NO_VALUE, null, null, List.of(), null);
        }

        static Result value(Object v) {
            return new Result(Status.OK, v, null, null, List.of(), null);
        }

        static Result page(Map<String, String> bundle) {
            return new Result(Status.OK, NO_VALUE, null, null, List.of(), bundle);
        }

        static Result error(String name, String message, List<String> traceback) {
            return new Result(Status.ERROR, NO_VALUE, name, message, List.copyOf(traceback), null);
        }

        static Result interrupted(String message) {
            return new Result(Status.INTERRUPTED, NO_VALUE, "Interrupted", message, List.of("Interrupted: " + message), null);
        }

        public Status status() {
            return status;
        }

        public boolean isError() {
            return status != Status.OK;
        }

        /** Whether the cell ended with an expression whose value should be shown. */
        public boolean hasValue() {
            return value != NO_VALUE;
        }

        /** The live value of the cell's last expression (may be null). */
        public Object value() {
            return value == NO_VALUE ? null : value;
        }

        /** Error name: the exception's simple class name, "CompileError", "Interrupted", "UnknownMagic"… */
        public String errorName() {
            return errorName;
        }

        public String errorMessage() {
            return errorMessage;
        }

        /** The error as lines: message, then the user's frames (kernel frames removed). */
        public List<String> traceback() {
            return traceback;
        }

        /** A bundle to show in a pager (documentation from {@code %doc}), or null. */
        public Map<String, String> page() {
            return page;
        }

        @Override
        public String toString() {
            return status + (hasValue() ? " " + Renderers.safeToString(value) : "")
                    + (isError() ? " " + String.join("\n", traceback) : "");
        }
    }

    /** A completion answer: replace {@code [start, end)} of the code with one of {@code matches}. */
    public record Completion(List<String> matches, int start, int end) {
    }

    /** Documentation found at a cursor: signatures with their javadoc. */
    public record Documentation(String signature, String javadoc) {
    }

    /** Whether code can run as is. */
    public enum Completeness { COMPLETE, INCOMPLETE, INVALID }

    /** Starts JShell with the toolkit on the class path; {@code frontEnd} receives output and displays. */
    public Evaluator(FrontEnd frontEnd) {
        quietSlf4j();
        // before System.err is captured: the JDK's deprecation warning belongs in the kernel log, not a cell
        this.exitGuarded = ExitGuard.install();
        this.output = new OutputCapture();
        this.output.frontEnd(frontEnd);
        CellExecutionControl.Provider provider = new CellExecutionControl.Provider();
        String cp = System.getProperty("java.class.path");
        for (String p : cp.split(java.io.File.pathSeparator)) {
            if (!p.isEmpty()) {
                classPath.add(p);
            }
        }
        this.shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .in(InputStream.nullInputStream())
                .out(OutputCapture.ORIGINAL_ERR)
                .err(OutputCapture.ORIGINAL_ERR)
                .compilerOptions("-g") // local variable names: a NullPointerException says "t" is null, not "<local0>"
                .build();
        this.analysis = shell.sourceCodeAnalysis();
        // the compile class path (runtime classes come from this JVM's class loader first)
        shell.addToClasspath(cp);
        this.control = provider.control();
        this.progress = new ProgressTracker();
        this.magics = new Magics(this);
        current = this;
        JavadocSources.install(analysis);
        for (String s : IMPORTS) {
            check(shell.eval(s), s);
        }
    }

    /** Tablesaw logs through SLF4J; with no provider on the class path it warns on stderr in the first cell. */
    private static void quietSlf4j() {
        if (System.getProperty("slf4j.provider") == null
                && ClassLoader.getSystemResource("META-INF/services/org.slf4j.spi.SLF4JServiceProvider") == null) {
            System.setProperty("slf4j.internal.verbosity", "WARN");
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        }
    }

    private void check(List<SnippetEvent> events, String source) {
        for (SnippetEvent e : events) {
            if (e.status() == Snippet.Status.REJECTED) {
                String diags = shell.diagnostics(e.snippet()).map(d -> d.getMessage(Locale.ROOT))
                        .collect(Collectors.joining("; "));
                LOG.warning("startup snippet rejected: " + source + ": " + diags);
            }
        }
    }

    /** The evaluator of this JVM, or null before one was made. */
    public static Evaluator current() {
        return current;
    }

    /** Sends output and displays to {@code fe} from now on. */
    public void frontEnd(FrontEnd fe) {
        output.frontEnd(fe);
    }

    public FrontEnd frontEnd() {
        return output.frontEnd();
    }

    /** Shows how progress looks in this front end (null: silent); cancelled on {@link #interrupt()}. */
    public void progressView(Progress.Listener view) {
        progress.view(view);
    }

    /** Whether {@code System.exit} in a cell is refused (false on JVMs without a SecurityManager). */
    public boolean exitGuarded() {
        return exitGuarded;
    }

    private volatile boolean busy;
    /** JShell is not thread-safe: cells hold this while they run; analysis waits briefly for it, then gives up. */
    private final java.util.concurrent.locks.ReentrantLock jshellLock = new java.util.concurrent.locks.ReentrantLock();
    private static final long ANALYSIS_WAIT_MILLIS = 250;

    /**
     * Compiles throw-away snippets in a second, private JShell (same class path and imports, temporaries dropped
     * as in cells) so the JIT has compiled javac before the user's first cells (a cold JShell needs ~100 ms CPU
     * per trivial cell, a warm one ~5 ms). Stops at the first user cell, after {@code evals} snippets or after
     * {@code maxMillis}. Call from a low-priority daemon thread.
     */
    public void warmUp(int evals, long maxMillis) {
        long start = System.currentTimeMillis();
        long deadline = start + maxMillis;
        int done = 0;
        String[] templates = {"1 + %d", "int w%d = %d;", "String s%d = \"a\" + %d;", "List.of(1, 2, %d).size()",
            "void m%d() { int a = %d; }", "for (int i = 0; i < %d; i++) { }", "Math.max(%d, 3) * 2",
            "IntColumn.create(\"c%d\", %d).size()"};
        try (JShell js = JShell.builder().executionEngine(new CellExecutionControl.Provider(), Map.of())
                .in(InputStream.nullInputStream()).out(OutputCapture.ORIGINAL_ERR).err(OutputCapture.ORIGINAL_ERR).build()) {
            js.addToClasspath(String.join(java.io.File.pathSeparator, classPath));
            for (String s : IMPORTS) {
                js.eval(s);
            }
            SourceCodeAnalysis sca = js.sourceCodeAnalysis();
            for (int i = 0; i < evals && System.currentTimeMillis() < deadline; i++) {
                if (busy || cellNumber > 0) {
                    break; // the user's cells warm the JIT from here on; do not compete with them
                }
                String code = String.format(templates[i % templates.length], i, i);
                sca.analyzeCompletion(code);
                for (SnippetEvent e : js.eval(code)) {
                    if (e.causeSnippet() == null && js.status(e.snippet()).isActive()) {
                        js.drop(e.snippet()); // keeps every warm-up compile as small as a user's first one
                    }
                }
                done++;
                if (i % 10 == 0) {
                    sca.completionSuggestions("java.util.List.o", 16, new int[1]);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "warm-up stopped", e);
        }
        LOG.fine("JIT warm-up: " + done + " snippets in " + (System.currentTimeMillis() - start) + " ms");
    }

    /** Runs one cell: magics and Java; returns its value or its error. Never throws for bad input. */
    public Result run(String cell) {
        jshellLock.lock();
        busy = true;
        try {
            return runCell(cell);
        } finally {
            busy = false;
            jshellLock.unlock();
        }
    }

    /** Runs {@code analysis} under the JShell lock, or returns {@code whenBusy} if a cell keeps JShell busy. */
    private <T> T analyzing(java.util.function.Supplier<T> analysis, T whenBusy) {
        boolean locked;
        try {
            locked = jshellLock.tryLock(ANALYSIS_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return whenBusy;
        }
        if (!locked) {
            return whenBusy;
        }
        try {
            return analysis.get();
        } finally {
            jshellLock.unlock();
        }
    }

    private Result runCell(String cell) {
        cellNumber++;
        control.resetStop();
        output.startCell();
        try {
            return magics.run(cell);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "cell failed inside the kernel", e);
            return Result.error(e.getClass().getSimpleName(), String.valueOf(e.getMessage()),
                    List.of("kernel error: " + e));
        } finally {
            control.cellEnded();
            control.clearResults();
            output.endCell();
        }
    }

    /** Stops the running cell, if any: interrupts it, cancels its progress, and stops it if it ignores both. */
    public void interrupt() {
        progress.cancelAll();
        control.stop();
    }

    /** Whether a cell is running now. */
    public boolean running() {
        return control.running();
    }

    /** Shows {@code value} in the front end now, rendered by {@link Renderers}. */
    public void display(Object value, String displayId) {
        output.flush();
        output.frontEnd().display(Renderers.render(value), displayId);
    }

    /** Replaces display {@code displayId} with {@code value}. */
    public void updateDisplay(Object value, String displayId) {
        output.flush();
        output.frontEnd().updateDisplay(Renderers.render(value), displayId);
    }

    void clearOutput(boolean wait) {
        output.flush();
        output.frontEnd().clearOutput(wait);
    }

    /** Sends buffered output now. */
    public void flush() {
        output.flush();
    }

    /** Adds jars or class directories to the compile and run class path of cells. */
    public List<String> addToClasspath(List<Path> paths) {
        List<String> added = new ArrayList<>();
        for (Path p : paths) {
            Path abs = p.toAbsolutePath().normalize();
            if (!Files.exists(abs)) {
                throw new IllegalArgumentException("no such file: " + abs);
            }
            if (classPath.add(abs.toString())) {
                shell.addToClasspath(abs.toString());
                added.add(abs.toString());
            }
        }
        return added;
    }

    /** Runs plain Java (no magics); {@code firstLine} is the cell line the code starts on (1-based). */
    Result runJava(String code, int firstLine) {
        Result shown = variableValue(code);
        if (shown != null) {
            return shown;
        }
        Object value = Result.NO_VALUE;
        String remaining = code;
        int consumed = 0;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = singleSnippet(remaining) ? null : analysis.analyzeCompletion(remaining);
            String source;
            int used;
            if (ci == null) {
                String t = remaining.strip();
                source = t.endsWith(";") ? t : t + ";"; // as analyzeCompletion would: JShell wants the semicolon
                used = remaining.length();
            } else if (ci.completeness().isComplete()) {
                source = ci.source();
                used = remaining.length() - ci.remaining().length();
            } else if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                break;
            } else {
                source = remaining;
                used = remaining.length();
            }
            int lead = 0;
            while (lead < remaining.length() && Character.isWhitespace(remaining.charAt(lead))) {
                lead++;
            }
            int startLine = firstLine + countLines(code, consumed + lead);
            // diagnostics count positions in `source`, which may or may not keep the leading whitespace
            int sourceLine = source.startsWith(remaining.substring(0, lead)) ? firstLine + countLines(code, consumed) : startLine;
            if (control.stopRequested()) { // stopped after the previous snippet ran: the rest of the cell does not
                return Result.interrupted("the cell was stopped (kernel interrupt); the kernel and its variables are intact");
            }
            List<SnippetEvent> events = shell.eval(source);
            try {
                if (control.stopRequested()) {
                    return Result.interrupted("the cell was stopped (kernel interrupt); the kernel and its variables are intact");
                }
                Result failed = takeValues(events, source, sourceLine, startLine);
                if (failed != null) {
                    return failed;
                }
                value = lastValue;
                lastValue = Result.NO_VALUE; // not kept past the cell
            } finally {
                dropTemporaries(events);
            }
            remaining = remaining.substring(used);
            consumed += used;
        }
        return value == Result.NO_VALUE ? Result.ok() : Result.value(value);
    }

    private Object lastValue = Result.NO_VALUE;

    /** Reads the value of each snippet into {@link #lastValue}; returns the cell's error, if one failed. */
    private Result takeValues(List<SnippetEvent> events, String source, int sourceLine, int startLine) {
        lastValue = Result.NO_VALUE;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                noteDependent(e);
                continue;
            }
            Snippet sn = e.snippet();
            snippetLines.put(sn.id(), new int[] {cellNumber, startLine});
            if (e.status() == Snippet.Status.REJECTED) {
                return compileError(sn, source, sourceLine);
            }
            if (e.exception() != null) {
                return runtimeError(e.exception(), startLine);
            }
            if (sn instanceof DeclarationSnippet && (e.status() == Snippet.Status.RECOVERABLE_DEFINED
                    || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED)) {
                String missing = shell.unresolvedDependencies((DeclarationSnippet) sn).collect(Collectors.joining(", "));
                System.err.println("note: " + ((DeclarationSnippet) sn).name() + " cannot be used until "
                        + missing + " is declared");
            }
            lastValue = valueOf(sn, e.value());
        }
        return null;
    }

    /**
     * Says what a redefinition did to a variable of an earlier cell (jshell prints it too): a typed one keeps its
     * name but is reset to null; a {@code var} of a replaced class can no longer be used. Silent, the next cell
     * met a NullPointerException or "cannot find symbol".
     */
    private void noteDependent(SnippetEvent e) {
        if (!(e.snippet() instanceof jdk.jshell.VarSnippet v) || v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                || e.previousStatus() != Snippet.Status.VALID || e.status() == Snippet.Status.OVERWRITTEN) {
            return; // OVERWRITTEN: declared again under its own name
        }
        String cause = e.causeSnippet() instanceof DeclarationSnippet d ? d.name() : "a declaration";
        if (e.status() == Snippet.Status.VALID) {
            System.err.println("note: " + v.name() + " was reset to null: " + cause + ", which it depends on, was redefined");
        } else if (e.status() == Snippet.Status.REJECTED || e.status() == Snippet.Status.RECOVERABLE_DEFINED
                || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            System.err.println("note: " + v.name() + " can no longer be used: " + cause
                    + ", which it depends on, was redefined; declare it again");
        }
    }

    /**
     * Drops the temporary variables ({@code $1}, {@code $2}, …) JShell makes for expression cells once their
     * value has been shown. Kept, every later snippet would compile one more import of each (a trivial cell
     * costs 7 ms of javac in a new session and 3× that after a few hundred cells) and each would keep its value
     * — a displayed 1 GB table — alive for the whole session. Assign a value to a variable to keep it.
     */
    private void dropTemporaries(List<SnippetEvent> events) {
        for (SnippetEvent e : events) {
            Snippet sn = e.snippet();
            if (e.causeSnippet() == null && sn.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                    && shell.status(sn).isActive()) {
                try {
                    shell.drop(sn);
                    control.forgetLastValue(((jdk.jshell.VarSnippet) sn).name());
                } catch (RuntimeException ex) {
                    LOG.log(Level.FINE, "could not drop " + sn.id(), ex);
                }
            }
        }
    }

    /**
     * A cell that only names a variable ({@code t} or {@code t;}) shows its live value without compiling a
     * snippet — JShell would compile and run a wrapper class to read the same field.
     */
    private Result variableValue(String code) {
        String name = code.strip();
        if (name.endsWith(";")) {
            name = name.substring(0, name.length() - 1).strip();
        }
        if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))
                || !name.chars().allMatch(Character::isJavaIdentifierPart)) {
            return null;
        }
        String n = name;
        jdk.jshell.VarSnippet var = shell.variables()
                .filter(v -> v.name().equals(n) && shell.status(v) == Snippet.Status.VALID).findFirst().orElse(null);
        if (var == null) {
            return null;
        }
        try {
            String key = shell.varValue(var);
            if (!control.isKey(key)) {
                return null;
            }
            return Result.value(control.take(key, null));
        } catch (RuntimeException e) {
            return null; // let JShell evaluate it and report whatever is wrong
        }
    }

    /**
     * Whether {@code code} can only be one snippet (no {@code ;} before its end, no braces, no comment or text
     * block), so JShell can take it whole without a separate parse to split it — one javac task less per cell.
     */
    static boolean singleSnippet(String code) {
        String t = code.strip();
        if (t.isEmpty() || t.contains("{") || t.contains("}") || t.contains("//") || t.contains("/*")
                || t.contains("\"\"\"") || t.indexOf('\n') >= 0) {
            return false;
        }
        int semi = t.indexOf(';');
        return semi < 0 || semi == t.length() - 1;
    }

    private Object valueOf(Snippet sn, String jshellValue) {
        Snippet.SubKind k = sn.subKind();
        boolean shown = k == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND || k == Snippet.SubKind.VAR_VALUE_SUBKIND
                || k == Snippet.SubKind.OTHER_EXPRESSION_SUBKIND;
        Object v = control.take(jshellValue, jshellValue);
        return shown ? v : Result.NO_VALUE;
    }

    static int countLines(String s, int end) {
        int n = 0;
        for (int i = 0; i < Math.min(end, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private Result compileError(Snippet sn, String source, int startLine) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : (Iterable<Diag>) shell.diagnostics(sn)::iterator) {
            if (!d.isError()) {
                continue;
            }
            String msg = d.getMessage(Locale.ROOT).replaceAll("\\n\\s*location: class\\s*$", "")
                    .replaceAll("\\n\\s*location: class\\s*\\n", "\n");
            if (first == null) {
                first = msg.lines().findFirst().orElse(msg);
            }
            int pos = (int) Math.max(0, Math.min(d.getStartPosition(), source.length()));
            int endPos = (int) Math.max(pos, Math.min(d.getEndPosition(), source.length()));
            int lineStart = source.lastIndexOf('\n', pos - 1) + 1;
            int lineEnd = source.indexOf('\n', pos);
            if (lineEnd < 0) {
                lineEnd = source.length();
            }
            int line = startLine + countLines(source, pos);
            lines.add("error at cell line " + line + ": " + msg.replace("\n", "\n    "));
            lines.add("    " + source.substring(lineStart, lineEnd));
            lines.add("    " + " ".repeat(pos - lineStart) + "^"
                    + (endPos > pos + 1 ? "-".repeat(Math.min(endPos, lineEnd) - pos - 1) : ""));
        }
        if (first == null) {
            first = "the snippet was rejected";
            lines.add("error at cell line " + startLine + ": " + first);
        }
        return Result.error("CompileError", first, lines);
    }

    private Result runtimeError(JShellException ex, int startLine) {
        Throwable live = control.lastThrowable();
        if (live instanceof ExitGuard.ExitBlockedException) {
            return Result.error("SystemExit", live.getMessage(), List.of("SystemExit: " + live.getMessage()));
        }
        if (live instanceof OutOfMemoryError) {
            System.gc();
        }
        if (ex instanceof UnresolvedReferenceException) {
            DeclarationSnippet sn = ((UnresolvedReferenceException) ex).getSnippet();
            String missing = shell.unresolvedDependencies(sn).collect(Collectors.joining(", "));
            String msg = sn.name() + " cannot be used until " + missing + " is declared";
            return Result.error("UnresolvedReference", msg, List.of("UnresolvedReference: " + msg));
        }
        List<String> lines = new ArrayList<>();
        String name = className(ex);
        String simple = name.substring(name.lastIndexOf('.') + 1);
        String message = ex.getMessage() == null ? "" : userNames(ex.getMessage());
        Throwable t = ex;
        boolean firstLevel = true;
        Set<Throwable> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (t != null && seen.add(t)) {
            String n = className(t);
            lines.add((firstLevel ? "" : "Caused by: ") + n + (t.getMessage() == null ? "" : ": " + userNames(t.getMessage())));
            String previous = null;
            for (StackTraceElement f : t.getStackTrace()) {
                if (isKernelFrame(f)) {
                    break;
                }
                String line = "    at " + frame(f);
                if (!line.equals(previous)) {
                    lines.add(line);
                }
                previous = line;
            }
            firstLevel = false;
            t = t.getCause();
        }
        return Result.error(simple, message, lines);
    }

    /** JShell's wrapper classes dropped from a message: {@code "REPL.$JShell$30.o" is null} reads {@code "o" is null}. */
    static String userNames(String message) {
        return message.replaceAll("REPL\\.\\$JShell\\$\\d+[A-Za-z]?\\.", "");
    }

    private static String className(Throwable t) {
        if (t instanceof EvalException) {
            return ((EvalException) t).getExceptionClassName();
        }
        return t.getClass().getName();
    }

    private static boolean isKernelFrame(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.reflect.")
                || c.startsWith("dev.leakscope.kernel.") || c.startsWith("jdk.jshell.");
    }

    private String frame(StackTraceElement f) {
        String file = f.getFileName();
        if (file != null && file.startsWith("#")) {
            int[] where = snippetLines.get(file.substring(1));
            String method = f.getMethodName();
            String what = method.startsWith("do_it$") || method.isEmpty() ? "cell" : (f.getClassName().isEmpty() ? "" : f.getClassName() + ".") + method;
            if (where != null) {
                int line = where[1] + Math.max(0, f.getLineNumber() - 1);
                return where[0] == cellNumber ? what + " (cell line " + line + ")"
                        : what + " (cell " + where[0] + ", line " + line + ")";
            }
            return what + " (snippet " + file + ", line " + f.getLineNumber() + ")";
        }
        return f.toString();
    }

    /** Whether {@code code} can run now, needs more lines, or cannot compile whatever follows. */
    public Completeness isComplete(String code) {
        return analyzing(() -> isCompleteNow(code), Completeness.COMPLETE);
    }

    private Completeness isCompleteNow(String code) {
        String remaining = code;
        if (Magics.isMagic(code)) {
            return Magics.isCellMagic(code) || !code.endsWith("\\") ? Completeness.COMPLETE : Completeness.INCOMPLETE;
        }
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = analysis.analyzeCompletion(remaining);
            switch (ci.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> remaining = ci.remaining();
                case EMPTY -> {
                    return Completeness.COMPLETE;
                }
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return Completeness.INCOMPLETE;
                }
                default -> {
                    return Completeness.INVALID;
                }
            }
        }
        return Completeness.COMPLETE;
    }

    /** Completions at {@code cursor}: JShell's suggestions for the snippet the cursor is in (none while a cell runs). */
    public Completion complete(String code, int cursor) {
        return analyzing(() -> completeNow(code, cursor), new Completion(List.of(), cursor, cursor));
    }

    private Completion completeNow(String code, int cursor) {
        int start = snippetStart(code, cursor);
        String snippet = code.substring(start, cursor);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions;
        try {
            suggestions = analysis.completionSuggestions(snippet, snippet.length(), anchor);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "completion failed", e);
            return new Completion(List.of(), cursor, cursor);
        }
        boolean typeMatches = suggestions.stream().anyMatch(SourceCodeAnalysis.Suggestion::matchesType);
        LinkedHashSet<String> matches = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            if (!typeMatches || s.matchesType()) {
                matches.add(s.continuation());
            }
        }
        if (typeMatches) {
            for (SourceCodeAnalysis.Suggestion s : suggestions) {
                matches.add(s.continuation());
            }
        }
        return new Completion(List.copyOf(matches), start + anchor[0], cursor);
    }

    /** Signatures and javadoc of what is at {@code cursor} (a method, class, field, variable). */
    public List<Documentation> inspect(String code, int cursor) {
        return analyzing(() -> inspectNow(code, cursor), List.of());
    }

    private List<Documentation> inspectNow(String code, int cursor) {
        int start = snippetStart(code, cursor);
        // JShell documents the call around the cursor; extend to the end of the identifier under the cursor
        int end = cursor;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        String snippet = code.substring(start, end);
        List<Documentation> docs = new ArrayList<>();
        try {
            for (SourceCodeAnalysis.Documentation d : documentation(snippet, snippet.length())) {
                docs.add(new Documentation(d.signature(), d.javadoc()));
            }
            if (docs.isEmpty() && end < code.length() && code.charAt(end) == '(') {
                for (SourceCodeAnalysis.Documentation d : documentation(snippet + "(", snippet.length() + 1)) {
                    docs.add(new Documentation(d.signature(), d.javadoc()));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "inspection failed", e);
        }
        if (docs.isEmpty()) {
            String word = identifierBefore(snippet, snippet.length());
            if (!word.isEmpty()) {
                shell.variables().filter(v -> v.name().equals(word)).findFirst()
                        .ifPresent(v -> docs.add(new Documentation(v.typeName() + " " + v.name(), null)));
            }
        }
        return docs;
    }

    private List<SourceCodeAnalysis.Documentation> documentation(String snippet, int cursor) {
        List<SourceCodeAnalysis.Documentation> d = analysis.documentation(snippet, cursor, true);
        if (d.isEmpty()) {
            // JShell documents "Foo.bar(" — try treating the identifier under the cursor as a call
            d = analysis.documentation(snippet + "(", cursor + 1, true);
        }
        return d;
    }

    private static String identifierBefore(String s, int end) {
        int i = end;
        while (i > 0 && Character.isJavaIdentifierPart(s.charAt(i - 1))) {
            i--;
        }
        return s.substring(i, end);
    }

    /** Start offset of the snippet containing {@code cursor} (cells hold several statements). */
    private int snippetStart(String code, int cursor) {
        int start = 0;
        String remaining = code;
        while (true) {
            SourceCodeAnalysis.CompletionInfo ci;
            try {
                ci = analysis.analyzeCompletion(remaining);
            } catch (RuntimeException e) {
                return start;
            }
            if (!ci.completeness().isComplete()) {
                return start;
            }
            int used = remaining.length() - ci.remaining().length();
            if (used <= 0 || start + used >= cursor) {
                return start;
            }
            // skip whitespace after the snippet
            start += used;
            remaining = ci.remaining();
            while (start < cursor && !remaining.isEmpty() && Character.isWhitespace(remaining.charAt(0))) {
                start++;
                remaining = remaining.substring(1);
            }
        }
    }

    /** Variables defined so far: name, type and the first line of their value. */
    public Map<String, String> variables() {
        return analyzing(this::variablesNow, Map.of());
    }

    private Map<String, String> variablesNow() {
        Map<String, String> vars = new LinkedHashMap<>();
        shell.variables().filter(v -> shell.status(v).isActive())
                .forEach(v -> vars.put(v.name(), v.typeName()));
        return vars;
    }

    int cellNumber() {
        return cellNumber;
    }

    JShell jshell() {
        return shell;
    }

    @Override
    public void close() {
        Progress.setListener(null);
        try {
            shell.close();
        } finally {
            output.close();
            if (current == this) {
                current = null;
            }
        }
    }

    /** Text of a bundle for front ends that show only text. */
    static String text(Map<String, String> bundle) {
        return bundle.getOrDefault(Displayable.TEXT, "");
    }
}
