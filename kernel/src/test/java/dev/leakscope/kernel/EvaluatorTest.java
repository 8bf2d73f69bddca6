package dev.leakscope.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.leakscope.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** The shared JShell evaluator, driven directly (the kernel and the workbench sit on it). */
class EvaluatorTest {

    static final RecordingFrontEnd FE = new RecordingFrontEnd();
    static Evaluator ev;

    @BeforeAll
    static void start() {
        ev = SharedEvaluator.get();
        ev.frontEnd(FE);
    }

    @BeforeEach
    void clear() {
        ev.frontEnd(FE);
        FE.clear();
    }

    @Test
    void valuesAreLiveObjects() {
        Evaluator.Result r = ev.run("var t = Table.create(\"t\", IntColumn.create(\"a\", 1, 2, 3));\nt");
        assertThat(r.isError()).as(r.toString()).isFalse();
        assertThat(r.value()).isInstanceOf(Table.class);
        assertThat(((Table) r.value()).rowCount()).isEqualTo(3);
        Evaluator.Result sum = ev.run("int x = 2;\nx * 21");
        assertThat(sum.value()).isEqualTo(42);
        assertThat(ev.run("int quiet = 5;").hasValue()).isFalse();
        assertThat(ev.run("System.out.println(\"no value\")").hasValue()).isFalse();
    }

    @Test
    void oneLineSnippetsWithoutSemicolonsWork() {
        assertThat(ev.run("int noSemi = 3").isError()).isFalse();
        assertThat(ev.run("noSemi * 2").value()).isEqualTo(6);
        assertThat(ev.run("import java.awt.Point").isError()).isFalse();
        assertThat(ev.run("new Point(1, 2).y").value()).isEqualTo(2);
        assertThat(ev.run("String withSemi = \"a;b\"; withSemi.length()").value()).isEqualTo(3);
        assertThat(Evaluator.singleSnippet("1 + 1")).isTrue();
        assertThat(Evaluator.singleSnippet("int a = 1; a")).isFalse();
        assertThat(Evaluator.singleSnippet("void f() { }")).isFalse();
    }

    @Test
    void shownValuesAreNotKeptByTheSession() throws Exception {
        long before = ev.jshell().variables().filter(v -> ev.jshell().status(v).isActive()).count();
        for (int i = 0; i < 20; i++) {
            assertThat(ev.run("40 + " + i).value()).isEqualTo(40 + i);
        }
        assertThat(ev.run("\"a\" + 1").value()).isEqualTo("a1");
        assertThat(ev.run("Integer.parseInt(\"x\")").errorName()).isEqualTo("NumberFormatException");
        assertThat(ev.jshell().variables().filter(v -> ev.jshell().status(v).isActive()).count())
                .as("no $N temporaries stay declared").isEqualTo(before);
        // the object a cell showed is collectable once shown (JShell's wrapper field no longer holds it)
        Evaluator.Result r = ev.run("new byte[1 << 20]");
        java.lang.ref.WeakReference<Object> shown = new java.lang.ref.WeakReference<>(r.value());
        r = null;
        for (int i = 0; i < 50 && shown.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(shown.get()).as("value still reachable after its cell").isNull();
        // variables the user declares stay
        ev.run("var keptTable = Table.create(\"k\");");
        assertThat(ev.run("keptTable.name()").value()).isEqualTo("k");
    }

    @Test
    void namingAVariableShowsTheSameLiveObject() {
        ev.run("var shared = new StringBuilder(\"x\");");
        long snippets = ev.jshell().snippets().count();
        Object a = ev.run("shared").value();
        assertThat(ev.jshell().snippets().count()).as("read without compiling a snippet").isEqualTo(snippets);
        Object b = ev.run("shared;").value();
        assertThat(a).isInstanceOf(StringBuilder.class).isSameAs(b);
        ev.run("shared.append(\"y\");");
        assertThat(a.toString()).isEqualTo("xy");
        assertThat(ev.run("Object nothing = null;\nnothing").value()).isNull();
        assertThat(ev.run("noSuchVariable").errorName()).isEqualTo("CompileError");
    }

    @Test
    void stdoutIsBatchedNotOneMessagePerPrint() {
        Evaluator.Result r = ev.run("for (int i = 0; i < 2000; i++) System.out.println(i);");
        assertThat(r.isError()).isFalse();
        assertThat(FE.stdout()).startsWith("0\n1\n").endsWith("1999\n");
        assertThat(FE.stdout().lines().count()).isEqualTo(2000);
        assertThat(FE.count("stdout")).isLessThan(40);
        ev.run("System.err.print(\"warn\")");
        assertThat(FE.stderr()).isEqualTo("warn");
    }

    @Test
    void exceptionShowsMessageAndUserFramesOnly() {
        ev.run("void inner(int n) { if (n == 0) throw new IllegalStateException(\"boom <b>\"); inner(n - 1); }");
        FE.clear();
        Evaluator.Result r = ev.run("int a = 1;\ninner(2);");
        assertThat(r.status()).isEqualTo(Evaluator.Result.Status.ERROR);
        assertThat(r.errorName()).isEqualTo("IllegalStateException");
        assertThat(r.errorMessage()).isEqualTo("boom <b>");
        assertThat(r.traceback().get(0)).isEqualTo("java.lang.IllegalStateException: boom <b>");
        assertThat(String.join("\n", r.traceback())).contains("inner").contains("cell line 2")
                .doesNotContain("dev.leakscope.kernel").doesNotContain("reflect");
        assertThat(ev.run("1 + 1").value()).isEqualTo(2);
    }

    @Test
    void aNullPointerNamesTheCellsVariableNotJShellsWrapperClass() {
        Evaluator.Result r = ev.run("Object npeHolder = null;\nnpeHolder.toString()");
        assertThat(r.errorName()).isEqualTo("NullPointerException");
        // the JDK's helpful message names the variable as JShell compiled it: "REPL.$JShell$30.npeHolder"
        assertThat(r.errorMessage()).contains("\"npeHolder\" is null").doesNotContain("$JShell").doesNotContain("REPL.");
        assertThat(r.traceback().get(0)).contains("\"npeHolder\" is null").doesNotContain("$JShell");
        Evaluator.Result m = ev.run("String npeText() { String t = null; return t.trim(); }\nnpeText()");
        assertThat(m.errorMessage()).contains("\"t\" is null").doesNotContain("$JShell");
    }

    @Test
    void redefiningAClassSaysWhatHappenedToTheVariablesOfIt() {
        ev.run("class Redef { int a = 1; }\nvar byVar = new Redef();\nRedef typed = new Redef();");
        FE.clear();
        ev.run("class Redef { int a = 2; int b = 3; }");
        // JShell drops a 'var' of the old class and resets a typed one to null; a user who then reads 'byVar' got only
        // "cannot find symbol", a user reading 'typed' a NullPointerException
        assertThat(FE.stderr()).contains("byVar").contains("typed").contains("null").contains("Redef");
        FE.clear();
        ev.run("int redefOther = 4;");
        assertThat(FE.stderr()).isEmpty();
        // declaring a variable again under its own name is no news
        ev.run("var redefOther = \"four\";");
        ev.run("Redef typed = new Redef();");
        assertThat(FE.stderr()).isEmpty();
    }

    @Test
    void causesAreShown() {
        Evaluator.Result r = ev.run("throw new RuntimeException(\"outer\", new java.io.IOException(\"disk\"));");
        assertThat(r.traceback()).anyMatch(l -> l.equals("Caused by: java.io.IOException: disk"));
    }

    @Test
    void compileErrorNamesLineAndPosition() {
        Evaluator.Result r = ev.run("int ok = 1;\nint y = nope + 1;");
        assertThat(r.errorName()).isEqualTo("CompileError");
        assertThat(r.errorMessage()).contains("cannot find symbol");
        assertThat(r.traceback().get(0)).startsWith("error at cell line 2");
        assertThat(r.traceback()).contains("    int y = nope + 1;").contains("            ^---");
        assertThat(ev.run("ok").value()).isEqualTo(1);
    }

    @Test
    void infiniteLoopIsStoppedAndTheEvaluatorLives() throws Exception {
        CompletableFuture<Evaluator.Result> f = CompletableFuture.supplyAsync(() -> ev.run("while (true) { }"));
        waitRunning();
        ev.interrupt();
        Evaluator.Result r = f.get(20, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(Evaluator.Result.Status.INTERRUPTED);
        assertThat(ev.run("\"alive\"").value()).isEqualTo("alive");
    }

    @Test
    void loopsInCellCodeStopAtTheirNextIterationWithoutThreadStop() throws Exception {
        ev.run("String how = \"not stopped\";");
        CompletableFuture<Evaluator.Result> f = CompletableFuture.supplyAsync(() -> ev.run(
                "try { long n = 0; while (true) { n++; } } catch (Error e) { how = e.getClass().getName(); throw e; }"));
        waitRunning();
        ev.interrupt();
        assertThat(f.get(20, TimeUnit.SECONDS).status()).isEqualTo(Evaluator.Result.Status.INTERRUPTED);
        // the cell's own bytecode threw (CellHooks), not Thread.stop's ThreadDeath (gone since JDK 20)
        assertThat(ev.run("how").value()).isEqualTo(CellHooks.CellStopped.class.getName());
        assertThat(ev.run("int after = 0; for (int i = 0; i < 1000; i++) after += i; after").value()).isEqualTo(499500);
    }

    @Test
    void cleanupOfAStoppedCellRuns() throws Exception {
        ev.run("String cleaned = \"no\";");
        // interrupted in sleep, the cell's finally block (a forward jump: no stop check there) must still run
        CompletableFuture<Evaluator.Result> f = CompletableFuture.supplyAsync(() -> ev.run(
                "try { while (true) { Thread.sleep(10); } } finally { if (cleaned != null) { cleaned = \"yes\"; } }"));
        waitRunning();
        ev.interrupt();
        assertThat(f.get(20, TimeUnit.SECONDS).status()).isEqualTo(Evaluator.Result.Status.INTERRUPTED);
        assertThat(ev.run("cleaned").value()).isEqualTo("yes");
    }

    @Test
    void analysisDoesNotBlockOrRaceARunningCell() throws Exception {
        // runs until interrupted below: a cell that ended by itself (a slow machine) would let completion answer
        CompletableFuture<Evaluator.Result> f = CompletableFuture.supplyAsync(() -> ev.run("Thread.sleep(600_000);"));
        waitRunning();
        Evaluator.Completion c = ev.complete("Table.cre", 9);
        List<Evaluator.Documentation> d = ev.inspect("Table.create", 8);
        assertThat(ev.running()).as("answered while the cell still runs").isTrue();
        assertThat(c.matches()).isEmpty();
        assertThat(d).isEmpty();
        ev.interrupt();
        f.get(20, TimeUnit.SECONDS);
        assertThat(ev.complete("Table.cre", 9).matches()).contains("create(");
    }

    @Test
    void sleepingCellIsInterruptedPromptly() throws Exception {
        CompletableFuture<Evaluator.Result> f = CompletableFuture.supplyAsync(() -> ev.run("Thread.sleep(600_000);"));
        waitRunning();
        long t0 = System.nanoTime();
        ev.interrupt();
        Evaluator.Result r = f.get(20, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(Evaluator.Result.Status.INTERRUPTED);
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void progressIsCancelledByInterrupt() throws Exception {
        RecordingView view = new RecordingView();
        ev.progressView(view);
        try {
            CompletableFuture<Evaluator.Result> f = CompletableFuture.supplyAsync(() -> ev.run(
                    "try (Progress p = Progress.start(\"scan\", 1000)) { while (true) { p.step(1); p.checkCancelled(); Thread.onSpinWait(); } }"));
            waitRunning();
            Thread.sleep(200);
            ev.interrupt();
            Evaluator.Result r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(Evaluator.Result.Status.INTERRUPTED);
            assertThat(view.started).isEqualTo(1);
            assertThat(view.finished).isEqualTo(1);
            assertThat(view.cancelled).isTrue();
        } finally {
            ev.progressView(null);
        }
    }

    static final class RecordingView implements Progress.Listener {
        volatile int started;
        volatile int finished;
        volatile boolean cancelled;

        public void started(Progress p) {
            started++;
        }

        public void updated(Progress p) {
        }

        public void finished(Progress p) {
            finished++;
            cancelled = p.isCancelled();
        }
    }

    private static void waitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!ev.running() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(ev.running()).as("cell started").isTrue();
    }

    @Test
    void systemExitInACellDoesNotEndTheProcess() {
        Evaluator.Result r = ev.run("System.exit(3);");
        assertThat(r.errorName()).isEqualTo("SystemExit");
        assertThat(r.errorMessage()).contains("System.exit(3)");
        assertThat(ev.run("40 + 2").value()).isEqualTo(42);
    }

    @Test
    void runtimeExitAndHaltInACellAreRefusedToo() {
        Evaluator.Result r = ev.run("Runtime.getRuntime().halt(5);");
        assertThat(r.errorName()).isEqualTo("SystemExit");
        assertThat(r.errorMessage()).contains("Runtime.halt(5)");
        assertThat(ev.run("Runtime.getRuntime().exit(6);").errorMessage()).contains("Runtime.exit(6)");
        assertThat(ev.run("void quit() { System.exit(7); }").isError()).isFalse();
        assertThat(ev.run("quit();").errorMessage()).contains("System.exit(7)");
        assertThat(ev.run("40 + 2").value()).isEqualTo(42);
    }

    @Test
    void hugeOutputIsCutWithANotice() {
        Evaluator.Result r = ev.run("var line = \"x\".repeat(1023) + \"\\n\"; for (int i = 0; i < 20_000; i++) System.out.print(line);");
        assertThat(r.isError()).isFalse();
        assertThat((long) FE.stdout().length()).isLessThanOrEqualTo(OutputCapture.MAX_BYTES);
        assertThat(FE.stderr()).contains("output truncated");
        FE.clear();
        ev.run("System.out.println(\"small\")");
        assertThat(FE.stdout()).isEqualTo("small\n");
    }

    @Test
    void displayRendersTablesAsEscapedHtml() {
        ev.run("display(Table.create(\"x<y\", StringColumn.create(\"s\", \"<script>\", \"a&b\")))");
        assertThat(FE.count("display")).isEqualTo(1);
        String html = FE.of("display").get(0).bundle().get("text/html");
        assertThat(html).contains("&lt;script&gt;").contains("a&amp;b").contains("x&lt;y").doesNotContain("<script>");
        assertThat(FE.of("display").get(0).bundle()).containsKey("text/plain");
    }

    @Test
    void completionInspectionAndCompleteness() {
        assertThat(ev.complete("Table.cre", 9).matches()).contains("create(");
        assertThat(ev.complete("int zz1 = 1; Table.cre", 22).start()).isEqualTo(19);
        List<Evaluator.Documentation> docs = ev.inspect("Table.create", 8);
        assertThat(docs).isNotEmpty();
        assertThat(docs).extracting(Evaluator.Documentation::signature).anyMatch(s -> s.contains("Table.create(String"));
        List<Evaluator.Documentation> progress = ev.inspect("Progress.start", 11);
        assertThat(progress).isNotEmpty();
        // the toolkit's javadoc is shown (from its sources), not just the signature
        assertThat(progress.get(0).javadoc()).contains("Starts reporting a task");
        assertThat(ev.isComplete("int x = 1;")).isEqualTo(Evaluator.Completeness.COMPLETE);
        assertThat(ev.isComplete("for (int i = 0; i < 3; i++) {")).isEqualTo(Evaluator.Completeness.INCOMPLETE);
        assertThat(ev.isComplete("%%html\n<b>")).isEqualTo(Evaluator.Completeness.COMPLETE);
    }

    @Test
    void inspectionRendersJavadocTagsInsteadOfShowingThemRaw() {
        // Heap.leaks' javadoc is full of {@code …} and {@link …}: the popup shows code, not the markup
        java.util.Map<String, String> b = Inspection.bundle(ev.inspect("Heap.leaks", 7));
        assertThat(b.get("text/plain")).contains("Heap.leaks(").contains("baseline").doesNotContain("{@");
        assertThat(b.get("text/html")).contains("<code>baseline</code>").doesNotContain("{@");
        assertThat(b.get("text/html")).contains("IllegalArgumentException");
        // nested braces inside a tag stay whole; markup in text/plain is dropped, escaped in HTML
        String doc = "Shows {@code Map<String, {x}>} as {@link Heap#summary() the summary}; see {@link Heap}.<p>Next <b>List<String></b>";
        java.util.Map<String, String> t = Inspection.bundle(List.of(new Evaluator.Documentation("void f()", doc)));
        assertThat(t.get("text/plain")).contains("Shows Map<String, {x}> as the summary; see Heap.\nNext List<String>");
        assertThat(t.get("text/html")).contains("<code>Map&lt;String, {x}&gt;</code>").contains("the summary")
                .contains("<code>Heap</code>");
    }

    @Test
    void magics(@TempDir Path dir) throws Exception {
        ev.run("%%html\n<b>bold</b>");
        assertThat(FE.of("display").get(0).bundle()).containsEntry("text/html", "<b>bold</b>");
        ev.run("%%markdown\n# Title");
        assertThat(FE.of("display").get(1).bundle()).containsEntry("text/markdown", "# Title");
        Evaluator.Result unknown = ev.run("%nosuchmagic 1");
        assertThat(unknown.errorName()).isEqualTo("UnknownMagic");
        assertThat(unknown.errorMessage()).contains("%nosuchmagic").contains("%jars");
        Evaluator.Result missing = ev.run("%jars " + dir.resolve("missing.jar"));
        assertThat(missing.errorName()).isEqualTo("FileNotFound");
        assertThat(missing.errorMessage()).contains("missing.jar");
        FE.clear();
        Evaluator.Result timed = ev.run("%time 6 * 7");
        assertThat(timed.value()).isEqualTo(42);
        assertThat(FE.stdout()).startsWith("Wall time: ");
        assertThat(ev.run("1 + 2").value()).isEqualTo(3);
    }

    @Test
    void jarsMagicLoadsClassesFromADirectory(@TempDir Path dir) throws Exception {
        // compile a class with javac into a directory, then use it from a cell
        Path src = dir.resolve("src/demo/Hello.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package demo; public class Hello { public static String hi() { return \"hi from jar\"; } }");
        Path classes = dir.resolve("classes");
        Process javac = new ProcessBuilder("javac", "-d", classes.toString(), src.toString()).inheritIO().start();
        assertThat(javac.waitFor()).isZero();
        Path jar = dir.resolve("hello.jar");
        Process jarP = new ProcessBuilder("jar", "cf", jar.toString(), "-C", classes.toString(), ".").inheritIO().start();
        assertThat(jarP.waitFor()).isZero();
        Evaluator.Result r = ev.run("%jars " + dir + "/*.jar\ndemo.Hello.hi()");
        assertThat(r.value()).as(r.toString()).isEqualTo("hi from jar");
    }
}
